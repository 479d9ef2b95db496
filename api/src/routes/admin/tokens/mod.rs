//! API tokens for machines (storefronts, staff tools).

pub mod create;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create::create_token);
}
