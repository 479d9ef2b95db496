//! ordertrack's shared library: configuration, storage, domain types, jobs,
//! channels, templates and metrics used by the api, worker and scheduler.

pub mod carriers;
pub mod channels;
pub mod config;
pub mod db;
pub mod domain;
pub mod jobs;
pub mod links;
pub mod metrics;
pub mod models;
pub mod notify;
pub mod orders;
pub mod polling;
pub mod rate_limit;
pub mod schema;
pub mod shutdown;
pub mod telemetry;
pub mod template_check;
pub mod templates;
pub mod text_diff;
pub mod tracking;
