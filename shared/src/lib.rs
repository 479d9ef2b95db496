//! ordertrack's shared library, used by the api, worker and scheduler.
//!
//! Topics each have one home: `orders` (creation, status changes, workflow),
//! `carriers` (formats, clients, applying tracking updates, polling cadence),
//! `notify` (fan-out, preferences), `templates` (render, check, diff),
//! `i18n` (every shopper-visible word and date outside the templates),
//! `webhooks` (every inbound signature check), `channels` (outgoing
//! providers) and `jobs` (payloads, queues, the recurring-job registry).
//! `domain` holds value types and `models` one file per table with its
//! queries. `cache` keeps read-mostly configuration per process.
//! `analytics` records what became of messages (opens, clicks, provider
//! reports, ratings). The rest is
//! infrastructure: config, db, schema, metrics (and `ops_metrics`, the
//! operators' gauges read from the stores), links,
//! rate limits, telemetry, shutdown.

pub mod analytics;
pub mod cache;
pub mod carriers;
pub mod channels;
pub mod config;
pub mod db;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod links;
pub mod metrics;
pub mod models;
pub mod notify;
pub mod ops_metrics;
pub mod orders;
pub mod prepared_sql;
pub mod rate_limit;
pub mod redis_conn;
pub mod redis_endpoint;
pub mod schema;
pub mod shutdown;
pub mod telemetry;
pub mod templates;
pub mod totp;
pub mod webhooks;
