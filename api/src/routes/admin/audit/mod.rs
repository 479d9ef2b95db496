//! The audit log: who did what, when, to what.

pub mod list;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list::list_audit_log);
}
