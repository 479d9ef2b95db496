//! One handler per file; every route is registered here.

pub mod create_order;
pub mod create_shipment;
pub mod create_token;
pub mod get_order;
pub mod get_order_timeline;
pub mod health;
pub mod list_orders;
mod load;
pub mod track_order;
pub mod update_order_status;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(health::metrics).service(
        web::scope("/api/v1")
            .service(create_order::create_order)
            .service(list_orders::list_orders)
            .service(get_order::get_order)
            .service(get_order_timeline::get_order_timeline)
            .service(update_order_status::update_order_status)
            .service(create_shipment::create_shipment)
            .service(track_order::track_order)
            .service(create_token::create_token),
    );
}
