//! Order operations that several processes perform (api, and later carrier
//! jobs), each one transaction: the change, its history, its notifications.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Json, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::timeline::TimelineEntry;
use super::workflow::{current_workflow, TransitionError};
use crate::domain::{ChangeSource, NotificationEvent, OrderStatus, Role};
use crate::models::{NewAuditEntry, NewNotification, NewOrderEvent, NewStatusChange, Notification, Order, Shipment};
use crate::notify::plan_order_messages;
use crate::prepared_sql::PreparedSql;

#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    #[error("order not found")]
    NotFound,
    #[error("stale version: the order is at version {current}")]
    StaleVersion { current: i32 },
    #[error(transparent)]
    Refused(#[from] TransitionError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// A requested status change.
#[derive(Debug, Clone)]
pub struct StatusChangeRequest {
    pub order_id: Uuid,
    pub to: OrderStatus,
    /// Optimistic concurrency: refuse if the order moved on since this version.
    pub expected_version: Option<i32>,
    pub role: Role,
    pub source: ChangeSource,
    pub actor: String,
    pub note: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// Extra template values for the notification (e.g. a carrier's reason).
    pub payload: serde_json::Value,
}

/// What a status change wrote.
#[derive(Debug)]
pub struct StatusChanged {
    /// The order as changed.
    pub order: Order,
    /// Its parcels, oldest first (what an answer shows beside it).
    pub shipments: Vec<Shipment>,
    /// New outbox rows (those no opt-out or earlier copy held back);
    /// enqueue them after commit.
    pub notifications: Vec<Notification>,
}

/// The occasion of a status event: confirmation happens once per order;
/// every other event once per order version the change writes (known as
/// soon as the order is locked, so the messages are written in the same
/// round trip as the change).
pub fn occasion(event: NotificationEvent, version: i32) -> String {
    match event {
        NotificationEvent::OrderConfirmed => "confirmed".into(),
        _ => format!("version-{version}"),
    }
}

/// A status change checked and planned, not yet written
/// (`PlannedStatusChange::write`).
pub struct PlannedStatusChange {
    /// The order as read, before the change.
    pub order: Order,
    change: NewStatusChange,
    event: NewOrderEvent,
    messages: Vec<NewNotification>,
}

/// Applies a status change inside the caller's transaction: locks the order,
/// checks version and workflow, updates it, appends history and its live
/// event, and writes the notifications the new status calls for. After
/// commit, enqueue the notifications and announce the events.
pub async fn change_status(
    conn: &mut AsyncPgConnection,
    request: &StatusChangeRequest,
) -> Result<StatusChanged, StatusChangeError> {
    let planned = plan_status_change(conn, request).await?;
    let current = planned.order.version;
    // The row is locked, so the version cannot have moved.
    planned.write(conn, None).await?.ok_or(StatusChangeError::StaleVersion { current })
}

/// `change_status`'s checks and reads, under the order's lock (which the
/// caller's transaction holds until it ends).
pub async fn plan_status_change(
    conn: &mut AsyncPgConnection,
    request: &StatusChangeRequest,
) -> Result<PlannedStatusChange, StatusChangeError> {
    let order = match Order::find_for_update(conn, request.order_id).await {
        Ok(order) => order,
        Err(diesel::result::Error::NotFound) => return Err(StatusChangeError::NotFound),
        Err(e) => return Err(e.into()),
    };
    plan_status_change_of(conn, order, request).await
}

/// Checks a change against `order` as the caller read it, with or without
/// its lock, and plans the history, live event and messages. Planned from an
/// unlocked read, the write is refused if the order moved on meanwhile.
pub async fn plan_status_change_of(
    conn: &mut AsyncPgConnection,
    order: Order,
    request: &StatusChangeRequest,
) -> Result<PlannedStatusChange, StatusChangeError> {
    if let Some(expected) = request.expected_version {
        if expected != order.version {
            return Err(StatusChangeError::StaleVersion { current: order.version });
        }
    }
    current_workflow(conn).await?.check(order.status, request.to, request.role)?;
    let change = NewStatusChange {
        order_id: order.id,
        from_status: Some(order.status),
        to_status: request.to,
        source: request.source,
        actor: request.actor.clone(),
        note: request.note.clone(),
        occurred_at: request.occurred_at,
    };
    let event = TimelineEntry::new_status_change(&change).event_of(order.id, order.customer_id);
    // (Reads: the shopper's preferences and devices, when a customer's.)
    let messages = match NotificationEvent::for_status(request.to) {
        Some(event) => {
            let occasion = occasion(event, order.version + 1);
            plan_order_messages(conn, &order, event, &occasion, request.payload.clone()).await?
        }
        None => Vec::new(),
    };
    Ok(PlannedStatusChange { order, change, event, messages })
}

/// What the change's statement answers: the order as changed, its parcels
/// and the messages it wrote.
#[derive(QueryableByName)]
struct Written {
    #[diesel(embed)]
    order: Order,
    /// The rows of the parcels and of the messages, as JSON (a statement
    /// answers rows of one type).
    #[diesel(sql_type = Json)]
    shipments: serde_json::Value,
    #[diesel(sql_type = Json)]
    messages: serde_json::Value,
}

impl PlannedStatusChange {
    /// Writes the change as one statement, guarded by the version it was
    /// planned on: the order's update, its history row, live event,
    /// messages (each unless its recipient opted out of the channel, or it
    /// was written before) and `audit`; answers with the order's parcels
    /// too. `None`, writing nothing, when the order moved on since it was
    /// read.
    ///
    /// One statement, not one per row: each statement costs Postgres about
    /// as much as the rows it writes, and outside a transaction the change
    /// needs no BEGIN and COMMIT either.
    pub async fn write(
        self,
        conn: &mut AsyncPgConnection,
        audit: Option<&NewAuditEntry>,
    ) -> Result<Option<StatusChanged>, StatusChangeError> {
        let written: Option<Written> = self.write_query(audit)?.get_result(conn).await.optional()?;
        let Some(Written { order, shipments, messages }) = written else { return Ok(None) };
        let shipments = serde_json::from_value(shipments).map_err(json_error)?;
        let notifications = serde_json::from_value(messages).map_err(json_error)?;
        Ok(Some(StatusChanged { order, shipments, notifications }))
    }

    /// `write`'s statement.
    pub fn write_query(&self, audit: Option<&NewAuditEntry>) -> Result<PreparedSql, StatusChangeError> {
        // The messages and the audit row go as JSON record sets: a row count
        // the planner does not see, so the statement keeps one generic plan
        // (with array parameters Postgres plans it at every call). Taking
        // them for 100 rows, it would read the opt-outs whole for a hash
        // anti-join: the opt-out check is a scalar subquery (a lookup per
        // message, by key), not NOT EXISTS.
        let messages = serde_json::to_value(&self.messages).map_err(json_error)?;
        let audit = serde_json::to_value(audit.into_iter().collect::<Vec<_>>()).map_err(json_error)?;
        Ok(PreparedSql::new(
            "WITH o AS (\
               UPDATE orders SET status = $3, version = version + 1, updated_at = now() \
               WHERE id = $1 AND version = $2 RETURNING *), \
             history AS (\
               INSERT INTO order_status_history (order_id, from_status, to_status, source, actor, note, occurred_at) \
               SELECT id, $4, status, $5, $6, $7, $8 FROM o), \
             event AS (\
               INSERT INTO order_event_inbox (order_id, customer_id, kind, staff_only, entry) \
               SELECT id, customer_id, $9, $10, $11 FROM o), \
             message AS (\
               INSERT INTO notifications (id, order_id, customer_id, device_token_id, event, channel, recipient, \
                 locale, queue, dedupe_key, payload, next_attempt_at) \
               SELECT m.id, o.id, m.customer_id, m.device_token_id, m.event, m.channel, m.recipient, m.locale, \
                 m.queue, m.dedupe_key, m.payload, m.next_attempt_at \
               FROM o, jsonb_to_recordset($12) AS m(id uuid, customer_id uuid, device_token_id uuid, event text, \
                 channel text, recipient text, locale text, queue text, dedupe_key text, payload jsonb, \
                 next_attempt_at timestamptz) \
               WHERE (SELECT true FROM channel_opt_outs c WHERE c.channel = m.channel AND c.recipient = m.recipient) \
                 IS NULL \
               ON CONFLICT (dedupe_key) DO NOTHING \
               RETURNING *), \
             audit AS (\
               INSERT INTO audit_log (actor, role, action, target_type, target_id, before, after, request_id, ip) \
               SELECT a.actor, a.role, a.action, a.target_type, a.target_id, a.before, a.after, a.request_id, a.ip \
               FROM o, jsonb_to_recordset($13) AS a(actor text, role text, action text, target_type text, \
                 target_id text, before jsonb, after jsonb, request_id text, ip text)) \
             SELECT o.*, \
               (SELECT coalesce(json_agg(s ORDER BY s.created_at, s.id), '[]') FROM shipments s WHERE s.order_id = o.id) \
                 AS shipments, \
               (SELECT coalesce(json_agg(message), '[]') FROM message) AS messages \
             FROM o",
        )
        .bind::<SqlUuid, _>(self.order.id)
        .bind::<Integer, _>(self.order.version)
        .bind::<Text, _>(self.change.to_status)
        .bind::<Nullable<Text>, _>(self.change.from_status)
        .bind::<Text, _>(self.change.source)
        .bind::<Text, _>(self.change.actor.clone())
        .bind::<Nullable<Text>, _>(self.change.note.clone())
        .bind::<Timestamptz, _>(self.change.occurred_at)
        .bind::<Text, _>(self.event.kind.clone())
        .bind::<Bool, _>(self.event.staff_only)
        .bind::<Jsonb, _>(self.event.entry.clone())
        .bind::<Jsonb, _>(messages)
        .bind::<Jsonb, _>(audit))
    }
}

fn json_error(e: serde_json::Error) -> StatusChangeError {
    StatusChangeError::Db(diesel::result::Error::SerializationError(Box::new(e)))
}
