//! Recording a new order: the customer (upserted, with default preferences),
//! the order, its first history entry (and live event) and the
//! order-confirmed messages, all inside the caller's transaction so the
//! outbox rows commit with the order.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use serde_json::json;

use super::timeline::TimelineEntry;
use crate::domain::{ChangeSource, NotificationEvent};
use crate::models::{NewCustomer, NewOrder, NewOrderEvent, NewStatusChange, Notification, Order, Preferences};
use crate::notify::notify_order;

#[derive(Debug, thiserror::Error)]
pub enum CreateOrderError {
    #[error("order {0} already exists")]
    Exists(String),
    #[error(transparent)]
    Db(#[from] DieselError),
}

/// What creating an order wrote.
#[derive(Debug)]
pub struct OrderCreated {
    pub order: Order,
    /// New outbox rows; enqueue them after commit.
    pub notifications: Vec<Notification>,
}

/// Writes a validated order (and its registered customer, if any) inside the
/// caller's transaction. `actor` names who recorded it in the history.
pub async fn create_order(
    conn: &mut AsyncPgConnection,
    mut order: NewOrder,
    customer: Option<&NewCustomer>,
    actor: String,
) -> Result<OrderCreated, CreateOrderError> {
    if let Some(customer) = customer {
        let customer = customer.upsert(conn).await?;
        Preferences::insert_defaults(conn, customer.id, customer.locale).await?;
        order.customer_id = Some(customer.id);
    }
    let first = NewStatusChange {
        order_id: order.id,
        from_status: None,
        to_status: order.status,
        source: ChangeSource::Storefront,
        actor,
        note: None,
        occurred_at: order.created_at,
    };
    let events = [TimelineEntry::new_status_change(&first).event_of(order.id, order.customer_id)];
    // One round trip: the three rows are pipelined. Postgres runs them in
    // order, so a refused order fails the two after it too; its own error
    // is the one to report.
    let shared: &AsyncPgConnection = conn;
    let (inserted, history, appended) =
        futures::join!(order.insert(shared), first.insert(shared), NewOrderEvent::append(shared, &events));
    let order = inserted.map_err(|e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            CreateOrderError::Exists(order.order_number.clone())
        }
        other => other.into(),
    })?;
    history?;
    appended?;
    let notifications = notify_order(conn, &order, NotificationEvent::OrderConfirmed, "confirmed", json!({})).await?;
    Ok(OrderCreated { order, notifications })
}
