//! One handler per job.

pub mod detect_delays;
pub mod enqueue_polls;
pub mod maintenance;
pub mod poll_carrier;
pub mod process_carrier_receipt;
pub mod send_notification;
pub mod simulate_carriers;
pub mod sweep_outbox;
pub mod vacuum;
