use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::tracking_events;

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = tracking_events)]
pub struct TrackingEvent {
    pub id: i64,
    pub shipment_id: Uuid,
    pub status: String,
    pub detail: Option<String>,
    pub carrier_code: String,
    pub description: String,
    pub location: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub source: String,
    pub receipt_id: Option<Uuid>,
    pub applied: bool,
    /// The carrier's payload as received (not read for timelines).
    #[serde(default)]
    pub raw: serde_json::Value,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tracking_events)]
pub struct NewTrackingEvent {
    pub shipment_id: Uuid,
    pub status: String,
    pub detail: Option<String>,
    pub carrier_code: String,
    pub description: String,
    pub location: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub source: String,
    pub receipt_id: Option<Uuid>,
    pub applied: bool,
    pub raw: serde_json::Value,
}

impl NewTrackingEvent {
    /// Inserts unless the same event (time, code, status) is already known.
    pub async fn insert_once(&self, conn: &mut AsyncPgConnection) -> QueryResult<Option<TrackingEvent>> {
        diesel::insert_into(tracking_events::table)
            .values(self)
            .on_conflict_do_nothing()
            .returning(TrackingEvent::as_returning())
            .get_result(conn)
            .await
            .optional()
    }
}

impl TrackingEvent {
    /// The shipments' events in the order they happened.
    pub async fn mark_applied(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
        diesel::update(tracking_events::table.find(id)).set(tracking_events::applied.eq(true)).execute(conn).await
    }
}
