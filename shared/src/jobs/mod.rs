//! Job payloads (ids only: handlers re-read state) and the queues they ride on.
//! apalis-redis has no priorities, so each priority level is its own queue
//! served by its own worker (docs/STACK-NOTES.md).

pub mod carrier;
pub mod enqueue;
pub mod maintenance;
pub mod promote;
pub mod queue_state;
pub mod recurring;
pub mod send_notification;

pub use carrier::{PollCarrier, ProcessCarrierReceipt};
pub use enqueue::{EnqueueError, Enqueuer};
pub use maintenance::MaintenanceJob;
pub use send_notification::SendNotification;

use crate::domain::NotificationEvent;
use crate::text_enum;

/// The sorted set in which apalis-redis 1.0 lists every queue, from inside
/// its worker-registration script. A cluster runs a script only on keys of
/// one slot, so each queue's keys share this set's slot (and master).
/// Spreading queues over masters needs that write out of the script
/// upstream.
pub const APALIS_QUEUE_LIST: &str = "core:apalis:queues:list";

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

    /// The Redis queue name within a namespace. Every key apalis derives
    /// from it starts with it, and so with a hash tag that puts it in one
    /// slot of a Redis Cluster, as apalis' scripts need: the tag is
    /// `APALIS_QUEUE_LIST`, because the script that registers a worker also
    /// writes that global set (on one Redis the braces are just characters).
    pub fn redis_name(self, namespace: &str) -> String {
        format!("{{{APALIS_QUEUE_LIST}}}:{namespace}:{}", self.as_str())
    }
}

/// What every job payload declares: its queue.
pub trait Job: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + Unpin + 'static {
    /// The job's name in logs and metrics.
    const NAME: &'static str;
}
