//! Live order updates: Server-Sent Events per order, per customer, per
//! tracking link and for staff; one WebSocket for many orders; and the
//! single-use tickets browsers use to open them.

pub mod access;
pub mod admin_events;
pub mod me_events;
pub mod order_events;
pub mod tickets;
pub mod tracking_events;
pub mod ws;

use actix_web::web;

/// An order's live stream, relative to the `/orders/{id}` scope.
pub fn configure_for_order(cfg: &mut web::ServiceConfig) {
    cfg.service(order_events::order_events);
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(tickets::create_stream_ticket)
        .service(me_events::me_events)
        .service(tracking_events::tracking_events)
        .service(admin_events::admin_events)
        .service(ws::websocket);
}
