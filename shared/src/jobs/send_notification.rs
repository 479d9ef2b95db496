use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Job;

/// Try to deliver one notification row now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendNotification {
    pub notification_id: Uuid,
}

impl Job for SendNotification {
    const NAME: &'static str = "send_notification";
}
