//! Analytics for admins and analysts: series from the roll-ups, and raw exports.

pub mod exports;
pub mod params;
pub mod series;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(series::notification_series)
        .service(series::order_series)
        .service(series::satisfaction_series)
        .service(exports::export);
}
