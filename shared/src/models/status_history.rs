use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::{ChangeSource, OrderStatus};
use crate::schema::order_status_history;

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = order_status_history)]
pub struct StatusChange {
    pub id: i64,
    pub order_id: Uuid,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub source: ChangeSource,
    pub actor: String,
    pub note: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
// `None` is written as NULL, not DEFAULT (the same for these columns):
// a constant statement, which diesel prepares once per connection.
#[diesel(table_name = order_status_history, treat_none_as_default_value = false)]
pub struct NewStatusChange {
    pub order_id: Uuid,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub source: ChangeSource,
    pub actor: String,
    pub note: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

impl NewStatusChange {
    /// Takes a shared connection so it can be pipelined with other writes.
    pub async fn insert(&self, mut conn: &AsyncPgConnection) -> QueryResult<StatusChange> {
        diesel::insert_into(order_status_history::table)
            .values(self)
            .returning(StatusChange::as_returning())
            .get_result(&mut conn)
            .await
    }
}
