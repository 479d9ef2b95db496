use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::{ChangeSource, OrderStatus};
use crate::schema::order_status_history;

#[derive(Debug, Clone, Queryable, Selectable)]
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
#[diesel(table_name = order_status_history)]
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
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<StatusChange> {
        diesel::insert_into(order_status_history::table)
            .values(self)
            .returning(StatusChange::as_returning())
            .get_result(conn)
            .await
    }
}
