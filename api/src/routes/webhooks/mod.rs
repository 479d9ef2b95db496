//! Inbound provider callbacks: carrier tracking pushes and Twilio delivery statuses.
//! Verified before anything is stored.

pub mod carrier;
pub mod twilio;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(twilio::twilio_status_callback).service(carrier::receive_carrier_webhook);
}
