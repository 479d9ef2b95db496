//! Orders: create (storefront), list, read, timeline, status changes, parcels, their
//! notifications and custom messages.

pub mod create;
pub mod get;
pub mod list;
pub mod load;
pub mod messages;
pub mod notifications;
pub mod shipments;
pub mod status;
pub mod timeline;

use actix_web::web;

/// The collection: `/orders`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create::create_order).service(list::list_orders);
}

/// One order's routes, relative to the `/orders/{id}` scope (`routes::configure`).
pub fn configure_for_order(cfg: &mut web::ServiceConfig) {
    cfg.service(get::get_order)
        .service(timeline::get_order_timeline)
        .service(status::update_order_status)
        .service(shipments::create_shipment)
        .service(notifications::list_order_notifications)
        .service(messages::send_order_message);
}
