use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::shipment_issues;

/// A delay or exception we detected on a parcel.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = shipment_issues)]
pub struct ShipmentIssue {
    pub id: Uuid,
    pub shipment_id: Uuid,
    pub order_id: Uuid,
    /// eta_passed, no_scan, carrier_exception, eta_moved.
    pub kind: String,
    pub detail: Option<String>,
    pub description: String,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    /// Kind plus what makes one issue materially different from the last.
    pub dedupe_key: String,
    pub detected_at: DateTime<Utc>,
}

impl ShipmentIssue {
    /// Records the issue unless this one (by dedupe key) is already known.
    pub async fn insert_once(&self, conn: &mut AsyncPgConnection) -> QueryResult<bool> {
        diesel::insert_into(shipment_issues::table)
            .values(self)
            .on_conflict(shipment_issues::dedupe_key)
            .do_nothing()
            .execute(conn)
            .await
            .map(|n| n > 0)
    }

    /// Takes a shared connection so it can be pipelined with other reads.
    pub async fn for_order(mut conn: &AsyncPgConnection, order_id: Uuid) -> QueryResult<Vec<ShipmentIssue>> {
        shipment_issues::table
            .filter(shipment_issues::order_id.eq(order_id))
            .order((shipment_issues::detected_at.asc(), shipment_issues::id.asc()))
            .select(ShipmentIssue::as_select())
            .load(&mut conn)
            .await
    }
}
