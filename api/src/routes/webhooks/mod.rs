//! Inbound provider callbacks: carrier tracking pushes, Twilio delivery
//! statuses and SendGrid email events.
//! Verified before anything is stored.

pub mod carrier;
pub mod outcome;
pub mod sendgrid;
pub mod twilio;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(twilio::twilio_status_callback)
        .service(carrier::receive_carrier_webhook)
        .service(sendgrid::sendgrid_events);
}
