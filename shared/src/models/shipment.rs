use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::carriers::polling::GIVE_UP_AFTER;
use crate::domain::Carrier;
use crate::schema::shipments;

/// The last moment of `date` (UTC): a parcel due that day is late after it.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()
}

/// Tracking statuses after which a parcel no longer moves.
const FINAL: [&str; 3] = ["delivered", "return_to_sender", "cancelled"];

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
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
    /// The delivery date customer service agreed with the carrier.
    pub rescheduled_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = shipments)]
pub struct NewShipment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub carrier: Carrier,
    pub tracking_number: String,
}

/// A parcel's tracking state as an applied carrier update leaves it.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = shipments, treat_none_as_null = true)]
pub struct ShipmentTracking {
    pub tracking_status: String,
    pub tracking_detail: Option<String>,
    pub last_event_at: Option<DateTime<Utc>>,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_webhook_at: Option<DateTime<Utc>>,
}

impl NewShipment {
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<Shipment> {
        diesel::insert_into(shipments::table).values(self).returning(Shipment::as_returning()).get_result(conn).await
    }

    /// Inserts the parcel as added at `at` (demo data, which has a past).
    pub async fn insert_at(&self, conn: &mut AsyncPgConnection, at: DateTime<Utc>) -> QueryResult<Shipment> {
        diesel::insert_into(shipments::table)
            .values((self, shipments::created_at.eq(at), shipments::updated_at.eq(at)))
            .returning(Shipment::as_returning())
            .get_result(conn)
            .await
    }
}

impl Shipment {
    /// Takes a shared connection so it can be pipelined with other reads.
    pub async fn for_order(mut conn: &AsyncPgConnection, order_id: Uuid) -> QueryResult<Vec<Shipment>> {
        shipments::table
            .filter(shipments::order_id.eq(order_id))
            .order((shipments::created_at.asc(), shipments::id.asc()))
            .select(Shipment::as_select())
            .load(&mut conn)
            .await
    }

    /// Shipments of several orders in one query (list pages, the worker's
    /// grouped reads); a shared connection, so it can be pipelined.
    pub async fn for_orders(mut conn: &AsyncPgConnection, order_ids: &[Uuid]) -> QueryResult<Vec<Shipment>> {
        shipments::table
            .filter(shipments::order_id.eq_any(order_ids))
            .order((shipments::created_at.asc(), shipments::id.asc()))
            .select(Shipment::as_select())
            .load(&mut conn)
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

    /// Parcels of the given ids (a poll batch), in no particular order.
    pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Shipment>> {
        shipments::table.filter(shipments::id.eq_any(ids)).select(Shipment::as_select()).load(conn).await
    }

    /// One keyset batch of the parcels not yet in a final status, oldest
    /// first: up to `limit` parcels after `after` (the `(created_at, id)` of
    /// the previous batch's last parcel). Callers walk every open parcel by
    /// passing the last one back until a batch comes back short (the delay
    /// scan, the simulated carrier). `shipments_open_idx` serves it.
    pub async fn unfinished_after(
        conn: &mut AsyncPgConnection,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<Shipment>> {
        let mut query = shipments::table
            .filter(shipments::tracking_status.ne_all(FINAL))
            .select(Shipment::as_select())
            .into_boxed();
        if let Some((at, id)) = after {
            // `created_at >= at` lets the index start at the cursor; the rest breaks ties by id.
            query = query
                .filter(shipments::created_at.ge(at))
                .filter(shipments::created_at.gt(at).or(shipments::created_at.eq(at).and(shipments::id.gt(id))));
        }
        query.order((shipments::created_at.asc(), shipments::id.asc())).limit(limit).load(conn).await
    }

    /// Locks the carrier's parcels due for a poll and leases them until `lease_until` (in the caller's transaction).
    pub async fn lease_due(
        conn: &mut AsyncPgConnection,
        carrier: Carrier,
        now: DateTime<Utc>,
        limit: i64,
        lease_until: DateTime<Utc>,
    ) -> QueryResult<Vec<Uuid>> {
        let due: Vec<Uuid> = shipments::table
            .filter(shipments::carrier.eq(carrier))
            .filter(shipments::next_poll_at.le(now))
            .filter(shipments::tracking_status.ne_all(FINAL))
            .filter(shipments::created_at.gt(now - GIVE_UP_AFTER).or(shipments::last_event_at.gt(now - GIVE_UP_AFTER)))
            .order(shipments::next_poll_at.asc())
            .limit(limit)
            .select(shipments::id)
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        diesel::update(shipments::table.filter(shipments::id.eq_any(&due)))
            .set(shipments::next_poll_at.eq(lease_until))
            .execute(conn)
            .await?;
        Ok(due)
    }

    /// Delivers on `date` as agreed with the carrier: the estimate moves to the
    /// end of that day and later carrier estimates never pull it earlier.
    pub async fn reschedule(conn: &mut AsyncPgConnection, id: Uuid, date: NaiveDate) -> QueryResult<Shipment> {
        diesel::update(shipments::table.find(id))
            .set((
                shipments::rescheduled_to.eq(date),
                shipments::estimated_delivery_at.eq(end_of_day(date)),
                shipments::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Shipment::as_returning())
            .get_result(conn)
            .await
    }

    /// The estimate the parcel is held to: the carrier's, but never before an
    /// agreed reschedule date.
    pub fn effective_estimate(&self, carrier_estimate: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        let agreed = self.rescheduled_to.map(end_of_day);
        match (carrier_estimate, agreed) {
            (Some(carrier), Some(agreed)) => Some(carrier.max(agreed)),
            (carrier, agreed) => carrier.or(agreed),
        }
    }

    /// After a failed poll: counts the failure and waits until `next` to poll again.
    pub async fn back_off(conn: &mut AsyncPgConnection, ids: &[Uuid], next: DateTime<Utc>) -> QueryResult<usize> {
        diesel::update(shipments::table.filter(shipments::id.eq_any(ids)))
            .set((shipments::next_poll_at.eq(next), shipments::poll_failures.eq(shipments::poll_failures + 1)))
            .execute(conn)
            .await
    }

    /// After a successful poll: clears the failure count and polls again at `next`.
    pub async fn schedule_poll(conn: &mut AsyncPgConnection, id: Uuid, next: DateTime<Utc>) -> QueryResult<usize> {
        diesel::update(shipments::table.find(id))
            .set((shipments::next_poll_at.eq(next), shipments::poll_failures.eq(0)))
            .execute(conn)
            .await
    }

    /// Stores the tracking state a carrier update arrived at (and touches `updated_at`).
    pub async fn update_tracking(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        tracking: &ShipmentTracking,
    ) -> QueryResult<usize> {
        diesel::update(shipments::table.find(id))
            .set((tracking, shipments::updated_at.eq(diesel::dsl::now)))
            .execute(conn)
            .await
    }

    pub fn tracking_url(&self) -> String {
        self.carrier.tracking_url(&self.tracking_number)
    }
}
