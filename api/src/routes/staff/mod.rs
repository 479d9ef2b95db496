//! One's own console session: sign in and out, set a password from a link,
//! enrol a second factor. Accounts and everyone's sessions are the admins'
//! (`routes/admin/staff/`); the rules are in `api/src/staff/`.

pub mod password;
pub mod session;
pub mod sign_in;
pub mod totp;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(sign_in::staff_sign_in)
        .service(session::get_staff_session)
        .service(session::end_staff_session)
        .service(password::set_staff_password)
        .service(totp::start_totp)
        .service(totp::confirm_totp);
}
