//! Pages a shopper opens from a message, without a token: the tracking page and one-click
//! unsubscribe.

pub mod limit;
pub mod tracking_page;
pub mod unsubscribe;
pub mod unsubscribe_page;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(unsubscribe::unsubscribe)
        .service(tracking_page::tracking_page)
        .service(unsubscribe_page::unsubscribe_page);
}
