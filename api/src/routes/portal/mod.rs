//! The shopper's web app sign-in, as Stripe's customer portal does it: the
//! storefront's backend asks for a single-use link for its signed-in shopper
//! and redirects them to it; the app trades the link for a session cookie
//! (`session.rs` has the cookie and its CSRF checks).

pub mod create_link;
pub mod current;
pub mod exchange;
pub mod sign_out;
pub mod view;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_link::create_portal_session)
        .service(exchange::open_portal_session)
        .service(current::get_portal_session)
        .service(sign_out::end_portal_session);
}
