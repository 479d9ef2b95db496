//! Order operations that several processes perform (api, and later carrier
//! jobs), each one transaction: the change, its history, its notifications.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::timeline::TimelineEntry;
use super::workflow::{current_workflow, TransitionError};
use crate::domain::{ChangeSource, NotificationEvent, OrderStatus, Role};
use crate::models::{NewNotification, NewOrderEvent, NewStatusChange, Notification, Order, StatusChange};
use crate::notify::plan_order_messages;

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
    pub order: Order,
    pub change: StatusChange,
    /// New outbox rows; enqueue them after commit.
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

/// A status change checked and planned under the order's lock, not yet
/// written (`PlannedStatusChange::write`).
pub struct PlannedStatusChange {
    /// The order as locked, before the change.
    pub order: Order,
    change: NewStatusChange,
    events: [NewOrderEvent; 1],
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
    plan_status_change(conn, request).await?.write(conn).await
}

/// `change_status`'s checks and reads: locks the order, checks version and
/// workflow, and plans the history, live event and messages.
pub async fn plan_status_change(
    conn: &mut AsyncPgConnection,
    request: &StatusChangeRequest,
) -> Result<PlannedStatusChange, StatusChangeError> {
    let order = match Order::find_for_update(conn, request.order_id).await {
        Ok(order) => order,
        Err(diesel::result::Error::NotFound) => return Err(StatusChangeError::NotFound),
        Err(e) => return Err(e.into()),
    };
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
    let events = [TimelineEntry::new_status_change(&change).event_of(order.id, order.customer_id)];
    // (Reads: the shopper's preferences and devices, when a customer's.)
    let messages = match NotificationEvent::for_status(request.to) {
        Some(event) => {
            let occasion = occasion(event, order.version + 1);
            plan_order_messages(conn, &order, event, &occasion, request.payload.clone()).await?
        }
        None => Vec::new(),
    };
    Ok(PlannedStatusChange { order, change, events, messages })
}

impl PlannedStatusChange {
    /// Writes the change in one round trip: the update, its history row,
    /// live event and messages pipelined (and whatever the caller pipelines
    /// beside it on the same connection).
    pub async fn write(self, conn: &AsyncPgConnection) -> Result<StatusChanged, StatusChangeError> {
        let (updated, change, (), notifications) = futures::try_join!(
            Order::set_status(conn, self.order.id, self.order.version, self.change.to_status),
            self.change.insert(conn),
            NewOrderEvent::append(conn, &self.events),
            NewNotification::insert_all_unless_opted_out(conn, &self.messages),
        )?;
        // The row is locked, so the version cannot have moved.
        let updated = updated.ok_or(StatusChangeError::StaleVersion { current: self.order.version })?;
        Ok(StatusChanged { order: updated, change, notifications })
    }
}
