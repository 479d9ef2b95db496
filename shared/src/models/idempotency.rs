//! Stored first responses for `Idempotency-Key` replays.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::idempotency_keys;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotentResponse {
    pub token_id: Uuid,
    pub key: String,
    pub request_hash: Vec<u8>,
    pub response_status: i16,
    pub response_body: serde_json::Value,
}

impl IdempotentResponse {
    pub async fn find(conn: &mut AsyncPgConnection, token_id: Uuid, key: &str) -> QueryResult<Option<Self>> {
        idempotency_keys::table
            .find((token_id, key))
            .select(IdempotentResponse::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Stores the response; a concurrent request with the same key waits on
    /// the primary key and then fails with a unique violation.
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::insert_into(idempotency_keys::table).values(self).execute(conn).await.map(|_| ())
    }

    /// Deletes stored responses created before `cutoff` (keys past their TTL); returns how many.
    pub async fn delete_created_before(conn: &mut AsyncPgConnection, cutoff: DateTime<Utc>) -> QueryResult<usize> {
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff))).execute(conn).await
    }
}
