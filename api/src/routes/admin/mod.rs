//! Staff tools: templates, the workflow, notifications (dead letters), the audit log,
//! carrier receipts, API tokens, staff accounts, and analytics.

pub mod analytics;
pub mod audit;
pub mod carrier_receipts;
pub mod notifications;
pub mod staff;
pub mod templates;
pub mod tokens;
pub mod workflow;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(analytics::configure)
        .configure(audit::configure)
        .configure(carrier_receipts::configure)
        .configure(notifications::configure)
        .configure(staff::configure)
        .configure(templates::configure)
        .configure(tokens::configure)
        .configure(workflow::configure);
}
