//! Analytics for admins and analysts: series from the roll-ups.

pub mod params;
pub mod series;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(series::notification_series).service(series::order_series).service(series::satisfaction_series);
}
