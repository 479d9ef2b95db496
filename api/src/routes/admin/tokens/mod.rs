//! API tokens for machines (storefronts, staff tools): mint, list, revoke.

pub mod create;
pub mod list;
pub mod revoke;
pub mod view;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create::create_token).service(list::list_tokens).service(revoke::revoke_token);
}
