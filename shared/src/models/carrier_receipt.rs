use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::Carrier;
use crate::schema::carrier_receipts;

/// A webhook body exactly as a carrier sent it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = carrier_receipts)]
pub struct CarrierReceipt {
    pub id: Uuid,
    pub carrier: Carrier,
    pub body: String,
    pub body_hash: Vec<u8>,
    pub source_ip: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub received_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = carrier_receipts)]
pub struct NewCarrierReceipt {
    pub id: Uuid,
    pub carrier: Carrier,
    pub body: String,
    pub body_hash: Vec<u8>,
    pub source_ip: Option<String>,
}

impl NewCarrierReceipt {
    /// Stores the receipt; `None` when the identical body was received before.
    pub async fn insert_once(&self, conn: &mut AsyncPgConnection) -> QueryResult<Option<Uuid>> {
        diesel::insert_into(carrier_receipts::table)
            .values(self)
            .on_conflict((carrier_receipts::carrier, carrier_receipts::body_hash))
            .do_nothing()
            .returning(carrier_receipts::id)
            .get_result(conn)
            .await
            .optional()
    }
}

impl CarrierReceipt {
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<CarrierReceipt> {
        carrier_receipts::table.find(id).select(CarrierReceipt::as_select()).first(conn).await
    }

    pub async fn find_by_hash(
        conn: &mut AsyncPgConnection,
        carrier: Carrier,
        hash: &[u8],
    ) -> QueryResult<CarrierReceipt> {
        carrier_receipts::table
            .filter(carrier_receipts::carrier.eq(carrier))
            .filter(carrier_receipts::body_hash.eq(hash))
            .select(CarrierReceipt::as_select())
            .first(conn)
            .await
    }

    pub async fn mark(conn: &mut AsyncPgConnection, id: Uuid, status: &str, error: Option<&str>) -> QueryResult<usize> {
        diesel::update(carrier_receipts::table.find(id))
            .set((
                carrier_receipts::status.eq(status),
                carrier_receipts::attempts.eq(carrier_receipts::attempts + 1),
                carrier_receipts::last_error.eq(error),
                carrier_receipts::processed_at.eq((status == "processed").then(Utc::now)),
            ))
            .execute(conn)
            .await
    }

    /// Puts a failed receipt back to pending for reprocessing; `false` when it is missing or not failed.
    pub async fn reset_failed(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
        diesel::update(carrier_receipts::table.find(id).filter(carrier_receipts::status.eq("failed")))
            .set(carrier_receipts::status.eq("pending"))
            .execute(conn)
            .await
            .map(|updated| updated > 0)
    }

    /// The receipt's processing status; `None` when there is no such receipt.
    pub async fn status_of(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<String>> {
        carrier_receipts::table.find(id).select(carrier_receipts::status).first(conn).await.optional()
    }

    /// A page of receipts for the admin view, newest first, after `after`
    /// (the `(received_at, id)` of the previous page's last receipt).
    pub async fn list(
        conn: &mut AsyncPgConnection,
        status: Option<&str>,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<CarrierReceipt>> {
        let mut query = carrier_receipts::table.select(CarrierReceipt::as_select()).into_boxed();
        if let Some(status) = status {
            query = query.filter(carrier_receipts::status.eq(status.to_owned()));
        }
        if let Some((at, id)) = after {
            query = query.filter(carrier_receipts::received_at.le(at)).filter(
                carrier_receipts::received_at
                    .lt(at)
                    .or(carrier_receipts::received_at.eq(at).and(carrier_receipts::id.lt(id))),
            );
        }
        query.order((carrier_receipts::received_at.desc(), carrier_receipts::id.desc())).limit(limit).load(conn).await
    }

    /// Receipts still unprocessed `grace` after they arrived (their job was lost).
    pub async fn overdue(
        conn: &mut AsyncPgConnection,
        grace: std::time::Duration,
        limit: i64,
    ) -> QueryResult<Vec<Uuid>> {
        let cutoff = Utc::now() - chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::seconds(60));
        carrier_receipts::table
            .filter(carrier_receipts::status.eq("pending"))
            .filter(carrier_receipts::received_at.le(cutoff))
            .order(carrier_receipts::received_at.asc())
            .limit(limit)
            .select(carrier_receipts::id)
            .load(conn)
            .await
    }
}
