//! Every route, grouped by resource: each folder registers its handlers in
//! its own `configure()`, one handler per file beside the helpers it uses.
//! Webhooks, public pages and health checks live at the root; the REST API
//! under `/api/v1`.

pub mod admin;
pub mod health;
pub mod me;
pub mod orders;
pub mod portal;
pub mod public;
pub mod requests;
pub mod staff;
pub mod streams;
pub mod tracking;
pub mod webhooks;

use actix_web::web;

/// actix tries routes in the order registered, matching each `{param}`
/// pattern with a regex (`regex-lite`, see Cargo.toml), at dispatch and again
/// for the metrics' route label: the API, which takes nearly all the traffic,
/// goes first behind its static prefix, and one order's routes (the busiest)
/// first within it, in one scope, so its `{id}` is matched once and the
/// routes inside compare static suffixes. A scope does not fall through:
/// every `/orders/{id}/…` route lives in it.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(
                web::scope("/orders/{id}")
                    .configure(orders::configure_for_order)
                    .configure(requests::configure_for_order)
                    .configure(streams::configure_for_order),
            )
            .configure(orders::configure)
            .configure(tracking::configure)
            .configure(me::configure)
            .configure(requests::configure)
            .configure(streams::configure)
            .configure(portal::configure)
            .configure(staff::configure)
            .configure(admin::configure),
    )
    .configure(webhooks::configure)
    .configure(public::configure)
    .service(health::healthz)
    .service(health::readyz)
    .service(health::metrics);
}
