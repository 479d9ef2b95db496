//! The append-only log of what became of messages once they left
//! (`notification_events`): provider reports, opens, clicks and ratings.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::{Channel, MessageEventKind};
use crate::schema::{notification_events, notifications};

/// A fact to append.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notification_events)]
pub struct NewMessageEvent {
    pub notification_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub kind: MessageEventKind,
    pub machine: bool,
    pub detail: serde_json::Value,
    /// `sendgrid`, `twilio`, or `ordertrack` for what we observe ourselves.
    pub provider: String,
    /// The provider's id of this event: a redelivery with the same id is dropped.
    pub provider_event_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

/// A recorded fact.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, serde::Deserialize)]
#[diesel(table_name = notification_events, check_for_backend(Pg))]
pub struct MessageEvent {
    pub id: i64,
    pub notification_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub kind: MessageEventKind,
    pub machine: bool,
    pub detail: serde_json::Value,
    pub provider: String,
    pub provider_event_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

/// A recorded fact with the message it is about, for the staff timeline.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct MessageFact {
    pub event: MessageEvent,
    pub channel: Option<Channel>,
    pub recipient: Option<String>,
}

impl NewMessageEvent {
    /// An event we observed ourselves (an open, a click, a rating).
    pub fn observed(notification_id: Uuid, order_id: Option<Uuid>, kind: MessageEventKind) -> Self {
        NewMessageEvent {
            notification_id: Some(notification_id),
            order_id,
            kind,
            machine: false,
            detail: serde_json::json!({}),
            provider: "ordertrack".into(),
            provider_event_id: None,
            occurred_at: Utc::now(),
        }
    }

    pub fn detail(self, detail: serde_json::Value) -> Self {
        NewMessageEvent { detail, ..self }
    }
}

impl MessageEvent {
    /// Appends `events`, skipping any whose provider event id is already
    /// recorded; returns the rows written.
    pub async fn append(conn: &mut AsyncPgConnection, events: &[NewMessageEvent]) -> QueryResult<Vec<MessageEvent>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        diesel::insert_into(notification_events::table)
            .values(events)
            .on_conflict_do_nothing()
            .returning(MessageEvent::as_returning())
            .get_results(conn)
            .await
    }

    /// `events` with the channel and recipient of their messages.
    pub async fn with_messages(
        conn: &mut AsyncPgConnection,
        events: Vec<MessageEvent>,
    ) -> QueryResult<Vec<MessageFact>> {
        let ids: Vec<Uuid> = events.iter().filter_map(|e| e.notification_id).collect();
        let messages: Vec<(Uuid, Channel, String)> = notifications::table
            .filter(notifications::id.eq_any(&ids))
            .select((notifications::id, notifications::channel, notifications::recipient))
            .load(conn)
            .await?;
        Ok(events
            .into_iter()
            .map(|event| {
                let message = messages.iter().find(|(id, _, _)| Some(*id) == event.notification_id);
                MessageFact {
                    channel: message.map(|(_, channel, _)| *channel),
                    recipient: message.map(|(_, _, recipient)| recipient.clone()),
                    event,
                }
            })
            .collect())
    }
}
