//! Tracking for shoppers without an account: look an order up by number and email or
//! postal code, or by its tracking link code.

pub mod by_link;
pub mod lookup;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(lookup::track_order).service(by_link::track_by_link);
}
