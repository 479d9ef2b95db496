//! One handler per job.

pub mod send_notification;
pub mod sweep_outbox;
