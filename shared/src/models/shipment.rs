use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::Carrier;
use crate::schema::shipments;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = shipments)]
pub struct Shipment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub carrier: Carrier,
    pub tracking_number: String,
    pub tracking_status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub tracking_detail: Option<String>,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    pub last_event_at: Option<DateTime<Utc>>,
    pub last_webhook_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub next_poll_at: DateTime<Utc>,
    pub poll_failures: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = shipments)]
pub struct NewShipment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub carrier: Carrier,
    pub tracking_number: String,
}

impl NewShipment {
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<Shipment> {
        diesel::insert_into(shipments::table).values(self).returning(Shipment::as_returning()).get_result(conn).await
    }
}

impl Shipment {
    pub async fn for_order(conn: &mut AsyncPgConnection, order_id: Uuid) -> QueryResult<Vec<Shipment>> {
        shipments::table
            .filter(shipments::order_id.eq(order_id))
            .order((shipments::created_at.asc(), shipments::id.asc()))
            .select(Shipment::as_select())
            .load(conn)
            .await
    }

    /// Shipments of several orders in one query (for list pages).
    pub async fn for_orders(conn: &mut AsyncPgConnection, order_ids: &[Uuid]) -> QueryResult<Vec<Shipment>> {
        shipments::table
            .filter(shipments::order_id.eq_any(order_ids))
            .order((shipments::created_at.asc(), shipments::id.asc()))
            .select(Shipment::as_select())
            .load(conn)
            .await
    }

    /// The parcel a carrier update is about, locked for the update.
    pub async fn find_by_tracking_for_update(
        conn: &mut AsyncPgConnection,
        carrier: Carrier,
        tracking_number: &str,
    ) -> QueryResult<Option<Shipment>> {
        shipments::table
            .filter(shipments::carrier.eq(carrier))
            .filter(shipments::tracking_number.eq(tracking_number))
            .select(Shipment::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Shipment> {
        shipments::table.find(id).select(Shipment::as_select()).first(conn).await
    }

    pub fn tracking_url(&self) -> String {
        self.carrier.tracking_url(&self.tracking_number)
    }
}
