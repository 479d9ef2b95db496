//! One handler per job.

pub mod maintenance;
pub mod send_notification;
pub mod sweep_outbox;
