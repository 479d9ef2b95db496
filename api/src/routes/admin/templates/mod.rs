//! Versioned message templates: list, draft, preview, diff, activate, roll back.

pub mod activate;
pub mod create;
pub mod diff;
pub mod list;
pub mod preview;
pub mod rollback;
pub mod view;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list::list_template_versions)
        .service(create::create_template_version)
        .service(activate::activate_template_version)
        .service(rollback::rollback_template)
        .service(preview::preview_template_version)
        .service(preview::preview_template_draft)
        .service(diff::diff_template_versions);
}
