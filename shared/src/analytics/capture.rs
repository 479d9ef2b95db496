//! Recording what became of messages: each fact appended once to
//! `notification_events` and put on its order's timeline for staff.

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use crate::models::{MessageEvent, NewMessageEvent, NewOrderEvent};
use crate::orders::timeline::TimelineEntry;

/// Appends `events` inside the caller's transaction, skipping redeliveries
/// (a provider event id already recorded); returns the new rows. Announce
/// the order events after commit.
pub async fn record(conn: &mut AsyncPgConnection, events: &[NewMessageEvent]) -> QueryResult<Vec<MessageEvent>> {
    let recorded = MessageEvent::append(conn, events).await?;
    let facts = MessageEvent::with_messages(conn, recorded.clone()).await?;
    let timeline: Vec<NewOrderEvent> = facts
        .iter()
        .filter_map(|fact| {
            let entry = TimelineEntry::message_event(fact);
            Some(NewOrderEvent {
                order_id: fact.event.order_id?,
                // Staff only: no shopper's stream carries it.
                customer_id: None,
                kind: entry.kind.as_str().to_owned(),
                staff_only: true,
                entry: serde_json::to_value(&entry).unwrap_or_default(),
            })
        })
        .collect();
    NewOrderEvent::append(conn, &timeline).await?;
    Ok(recorded)
}
