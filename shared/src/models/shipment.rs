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

    pub fn tracking_url(&self) -> String {
        self.carrier.tracking_url(&self.tracking_number)
    }
}
