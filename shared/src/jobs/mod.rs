//! Job payloads (ids only: handlers re-read state) and the queues they ride on.
//! apalis-redis has no priorities, so each priority level is its own queue
//! served by its own worker (docs/STACK-NOTES.md).

pub mod carrier;
pub mod enqueue;
pub mod maintenance;
pub mod promote;
pub mod recurring;
pub mod send_notification;

pub use carrier::{PollCarrier, ProcessCarrierReceipt};
pub use enqueue::{EnqueueError, Enqueuer};
pub use maintenance::MaintenanceJob;
pub use send_notification::SendNotification;

use crate::domain::NotificationEvent;
use crate::text_enum;

text_enum! {
    /// A Redis queue, highest priority first.
    Queue ("queue") {
        /// Codes, exceptions, delays: must never wait behind bulk sends.
        NotificationsCritical => "notifications-critical",
        /// Order lifecycle messages.
        Notifications => "notifications",
        /// Custom and marketing-like messages.
        NotificationsBulk => "notifications-bulk",
        CarrierEvents => "carrier-events",
        CarrierPolls => "carrier-polls",
        /// Outbox sweeps, clean-ups, roll-ups.
        Maintenance => "maintenance",
    }
}

impl Queue {
    /// Which queue a notification event's sends belong on.
    pub fn for_event(event: NotificationEvent) -> Queue {
        match event {
            e if e.is_critical() => Queue::NotificationsCritical,
            NotificationEvent::Custom => Queue::NotificationsBulk,
            _ => Queue::Notifications,
        }
    }

    /// The Redis queue name within a namespace.
    pub fn redis_name(self, namespace: &str) -> String {
        format!("{namespace}:{}", self.as_str())
    }
}

/// What every job payload declares: its queue.
pub trait Job: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + Unpin + 'static {
    /// The job's name in logs and metrics.
    const NAME: &'static str;
}
