//! Shoppers' requests (reschedule, address change, support) and customer service's queue
//! of them.

pub mod actions;
pub mod body;
pub mod claim;
pub mod create;
pub mod create_guest;
pub mod list;
mod outcome;
pub mod resolve;

use actix_web::web;

/// An order's actions and requests, relative to the `/orders/{id}` scope.
pub fn configure_for_order(cfg: &mut web::ServiceConfig) {
    cfg.service(actions::order_actions).service(create::create_customer_request);
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(actions::guest_actions)
        .service(create_guest::create_guest_request)
        .service(list::list_customer_requests)
        .service(claim::claim_customer_request)
        .service(resolve::resolve_customer_request);
}
