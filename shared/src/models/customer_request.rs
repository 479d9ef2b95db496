use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::customer_requests;

/// Something a shopper asked for about a parcel.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = customer_requests)]
pub struct CustomerRequest {
    pub id: Uuid,
    pub order_id: Uuid,
    pub shipment_id: Option<Uuid>,
    /// reschedule, change_address, contact_support.
    pub kind: String,
    /// open, applied (done at once), resolved, rejected.
    pub status: String,
    pub details: serde_json::Value,
    pub requested_by: String,
    pub resolution: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who closed it (staff).
    pub resolved_by: Option<String>,
    /// Who in customer service took it on, and when.
    pub claimed_by: Option<String>,
    pub claimed_at: Option<DateTime<Utc>>,
}

impl CustomerRequest {
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::insert_into(customer_requests::table).values(self).execute(conn).await.map(|_| ())
    }

    /// Takes a shared connection so it can be pipelined with other reads.
    pub async fn for_order(mut conn: &AsyncPgConnection, order_id: Uuid) -> QueryResult<Vec<CustomerRequest>> {
        customer_requests::table
            .filter(customer_requests::order_id.eq(order_id))
            .order((customer_requests::created_at.asc(), customer_requests::id.asc()))
            .select(CustomerRequest::as_select())
            .load(&mut conn)
            .await
    }

    /// Assigns the open request to `staff` (taking it over from whoever had
    /// it); `None` when missing or closed.
    pub async fn claim(conn: &mut AsyncPgConnection, id: Uuid, staff: &str) -> QueryResult<Option<CustomerRequest>> {
        diesel::update(customer_requests::table.find(id).filter(customer_requests::status.eq("open")))
            .set((
                customer_requests::claimed_by.eq(staff),
                customer_requests::claimed_at.eq(diesel::dsl::now),
                customer_requests::updated_at.eq(diesel::dsl::now),
            ))
            .returning(CustomerRequest::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Closes the request as `status` with `resolution` if it is still open; `None` when missing or closed.
    pub async fn close(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        status: &str,
        resolution: &str,
        resolved_by: &str,
    ) -> QueryResult<Option<CustomerRequest>> {
        diesel::update(customer_requests::table.find(id).filter(customer_requests::status.eq("open")))
            .set((
                customer_requests::status.eq(status),
                customer_requests::resolution.eq(resolution),
                customer_requests::resolved_by.eq(resolved_by),
                customer_requests::updated_at.eq(diesel::dsl::now),
            ))
            .returning(CustomerRequest::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Whether a request with this id exists (in any status).
    pub async fn exists(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
        let count: i64 = customer_requests::table.find(id).count().get_result(conn).await?;
        Ok(count > 0)
    }

    /// A page of the requests waiting for customer service, oldest first,
    /// after `after` (the `(created_at, id)` of the previous page's last request).
    pub async fn open(
        conn: &mut AsyncPgConnection,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<CustomerRequest>> {
        let mut query = customer_requests::table
            .filter(customer_requests::status.eq("open"))
            .select(CustomerRequest::as_select())
            .into_boxed();
        if let Some((at, id)) = after {
            query = query.filter(customer_requests::created_at.ge(at)).filter(
                customer_requests::created_at
                    .gt(at)
                    .or(customer_requests::created_at.eq(at).and(customer_requests::id.gt(id))),
            );
        }
        query.order((customer_requests::created_at.asc(), customer_requests::id.asc())).limit(limit).load(conn).await
    }
}
