//! The order workflow: read it, add or change a transition, remove one (a change that
//! breaks it is refused).

pub mod change;
pub mod delete_transition;
pub mod get;
pub mod put_transition;
pub mod view;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get::get_workflow)
        .service(put_transition::put_workflow_transition)
        .service(delete_transition::delete_workflow_transition);
}
