use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::provider_events;

/// A provider's delivery callback, stored as received before it is applied.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = provider_events)]
pub struct NewProviderEvent {
    pub provider: String,
    pub provider_message_id: String,
    pub status: String,
    pub payload: serde_json::Value,
}

impl NewProviderEvent {
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        diesel::insert_into(provider_events::table).values(self).returning(provider_events::id).get_result(conn).await
    }
}

pub async fn mark_applied(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
    diesel::update(provider_events::table.find(id)).set(provider_events::applied.eq(true)).execute(conn).await
}
