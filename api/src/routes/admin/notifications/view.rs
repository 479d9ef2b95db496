//! Staff view of a notification and its attempts.

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::{AttemptOutcome, Channel, Locale, NotificationEvent, NotificationStatus};
use ordertrack_shared::models::{Notification, NotificationAttempt};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    pub attempt: i32,
    pub outcome: AttemptOutcome,
    pub provider: String,
    pub provider_message_id: Option<String>,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    pub order_id: Option<Uuid>,
    pub event: NotificationEvent,
    pub channel: Channel,
    /// Email address, phone number, or device id.
    pub recipient: String,
    pub locale: Locale,
    pub queue: String,
    pub status: NotificationStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub provider_message_id: Option<String>,
    pub delivery_status: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempt_history: Vec<AttemptView>,
}

impl NotificationView {
    /// Views of `rows`, each with its own attempts.
    pub fn with_attempts(rows: &[Notification], attempts: &[NotificationAttempt]) -> Vec<NotificationView> {
        rows.iter()
            .map(|n| {
                let own: Vec<NotificationAttempt> =
                    attempts.iter().filter(|a| a.notification_id == n.id).cloned().collect();
                NotificationView::new(n, &own)
            })
            .collect()
    }

    pub fn new(n: &Notification, attempts: &[NotificationAttempt]) -> Self {
        NotificationView {
            id: n.id,
            order_id: n.order_id,
            event: n.event,
            channel: n.channel,
            recipient: n.recipient.clone(),
            locale: n.locale,
            queue: n.queue.to_string(),
            status: n.state(),
            attempts: n.attempts,
            last_error: n.last_error.clone(),
            provider_message_id: n.provider_message_id.clone(),
            delivery_status: n.delivery_status.clone(),
            next_attempt_at: n.next_attempt_at,
            created_at: n.created_at,
            sent_at: n.sent_at,
            attempt_history: attempts
                .iter()
                .map(|a| AttemptView {
                    attempt: a.attempt,
                    outcome: a.outcome,
                    provider: a.provider.clone(),
                    provider_message_id: a.provider_message_id.clone(),
                    error: a.error.clone(),
                    started_at: a.started_at,
                    duration_ms: a.duration_ms,
                })
                .collect(),
        }
    }
}
