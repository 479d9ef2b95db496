//! Pages a shopper opens from a message, without a token: the tracking page, one-click
//! unsubscribe, the delivery rating page, and the open pixel and click links.

pub mod limit;
pub mod message_links;
pub mod rating_page;
pub mod tracking_page;
pub mod unsubscribe;
pub mod unsubscribe_page;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(unsubscribe::unsubscribe)
        .service(tracking_page::tracking_page)
        .service(unsubscribe_page::unsubscribe_page)
        .service(message_links::open_pixel)
        .service(message_links::click)
        .service(rating_page::rating_page)
        .service(rating_page::rate);
}
