//! End-to-end tests: each starts a whole ordertrack against real Postgres,
//! Redis and an SMTP server on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin_tools;
mod auth;
mod carriers;
mod cluster_failover;
mod crash_safety;
mod customer_actions;
mod customer_requests;
mod delays;
mod email_delivery;
mod fan_out;
mod live_updates;
mod localization;
mod ops;
mod orders_create;
mod orders_read;
mod phone_verification;
mod polling;
mod preferences;
mod priority;
mod provider_failures;
mod public_edges;
mod queues;
mod route_matrix;
mod scheduler;
mod sentinel_failover;
mod shipments;
mod sms_budget;
mod staff_console;
mod status_change;
mod timeline_paging;
mod tracking;
mod web_app;
mod workflow;
