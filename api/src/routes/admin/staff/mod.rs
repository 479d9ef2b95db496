//! Staff accounts and console sessions (admins): create a person (with a
//! set-password link), give a new link, disable; list and end sessions.

pub mod accounts;
pub mod sessions;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(accounts::list_staff)
        .service(accounts::create_staff)
        .service(accounts::new_password_link)
        .service(accounts::disable_staff)
        .service(sessions::list_staff_sessions)
        .service(sessions::end_any_staff_session);
}
