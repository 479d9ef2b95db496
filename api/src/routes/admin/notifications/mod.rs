//! Notifications across orders (failed ones by default: the dead letters), one with its
//! attempts, replay.

pub mod get;
pub mod list;
pub mod replay;
pub mod view;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list::list_notifications).service(get::get_notification).service(replay::replay_notification);
}
