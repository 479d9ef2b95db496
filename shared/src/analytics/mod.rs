//! What became of the messages we sent and how shoppers felt about their
//! deliveries: link and open tracking (`tracking`, `machine_opens`), the
//! append-only event log and its timeline entries (`capture`), and the
//! roll-ups a worker job computes from them (`rollup` drives
//! `rollup_notifications`, `rollup_orders`, `rollup_satisfaction`).

pub mod capture;
pub mod histogram;
pub mod machine_opens;
pub mod report;
pub mod rollup;
pub mod rollup_notifications;
pub mod rollup_orders;
pub mod rollup_satisfaction;
pub mod tracking;

pub use rollup::day_bounds;
