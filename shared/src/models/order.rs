use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::{Locale, OrderStatus};
use crate::schema::orders;

diesel::define_sql_function! {
    /// SQL `coalesce` of two nullable timestamps.
    fn coalesce(
        first: diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        second: diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
    ) -> diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>;
}

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = orders)]
pub struct Order {
    pub id: Uuid,
    pub order_number: String,
    pub customer_id: Option<Uuid>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_name: Option<String>,
    pub locale: Locale,
    pub status: OrderStatus,
    pub ship_name: String,
    pub ship_line1: String,
    pub ship_line2: Option<String>,
    pub ship_city: String,
    pub ship_region: Option<String>,
    pub ship_postal_code: String,
    pub ship_country: String,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The capability in the short public tracking link (`/t/{code}`).
    pub tracking_code: String,
}

#[derive(Debug, Clone, Insertable)]
// `None` is written as NULL, not DEFAULT (the same for these columns):
// a constant statement, which diesel prepares once per connection.
#[diesel(table_name = orders, treat_none_as_default_value = false)]
pub struct NewOrder {
    pub id: Uuid,
    pub order_number: String,
    pub customer_id: Option<Uuid>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_name: Option<String>,
    pub locale: Locale,
    pub status: OrderStatus,
    pub ship_name: String,
    pub ship_line1: String,
    pub ship_line2: Option<String>,
    pub ship_city: String,
    pub ship_region: Option<String>,
    pub ship_postal_code: String,
    pub ship_country: String,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub tracking_code: String,
}

/// A fresh tracking code: 12 random base62 characters (~71 bits).
pub fn new_tracking_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    (0..12).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// A query for whole orders, built step by step.
pub type BoxedOrders<'a> =
    orders::BoxedQuery<'a, diesel::pg::Pg, diesel::dsl::SqlTypeOf<diesel::dsl::AsSelect<Order, diesel::pg::Pg>>>;

/// Newest or oldest first; ties broken by id so pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    NewestFirst,
    OldestFirst,
}

/// Which orders a listing may see and which it wants.
#[derive(Debug, Clone)]
pub struct OrderFilter {
    /// `Some` for a customer: only their orders.
    pub customer_id: Option<Uuid>,
    pub status: Option<OrderStatus>,
    /// `Some(true)`: only orders still on their way; `Some(false)`: only
    /// delivered, cancelled or returned ones.
    pub active: Option<bool>,
    pub sort: SortOrder,
    /// An order number (or its start), an email or a phone.
    pub search: Option<String>,
    /// Resume after this (created_at, id).
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

impl NewOrder {
    /// Takes a shared connection so it can be pipelined with other writes.
    pub async fn insert(&self, mut conn: &AsyncPgConnection) -> QueryResult<Order> {
        diesel::insert_into(orders::table).values(self).returning(Order::as_returning()).get_result(&mut conn).await
    }
}

impl Order {
    /// Takes a shared connection so it can be pipelined with other reads.
    pub async fn find(mut conn: &AsyncPgConnection, id: Uuid) -> QueryResult<Order> {
        orders::table.find(id).select(Order::as_select()).first(&mut conn).await
    }

    /// Several orders in one query, in no particular order; missing ids are
    /// left out. Takes a shared connection so it can be pipelined.
    pub async fn find_all(mut conn: &AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Order>> {
        orders::table.filter(orders::id.eq_any(ids)).select(Order::as_select()).load(&mut conn).await
    }

    /// Locks the row for the rest of the transaction.
    pub async fn find_for_update(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Order> {
        orders::table.find(id).select(Order::as_select()).for_update().first(conn).await
    }

    pub async fn find_by_tracking_code(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Order> {
        Self::by_tracking_code(code).first(conn).await
    }

    /// The query behind [`find_by_tracking_code`](Self::find_by_tracking_code), for plan tests.
    pub fn by_tracking_code(code: &str) -> BoxedOrders<'_> {
        orders::table.filter(orders::tracking_code.eq(code)).select(Order::as_select()).into_boxed()
    }

    pub async fn find_by_number(conn: &mut AsyncPgConnection, number: &str) -> QueryResult<Order> {
        orders::table.filter(orders::order_number.eq(number)).select(Order::as_select()).first(conn).await
    }

    /// One page of orders, keyset paginated on (created_at, id).
    pub async fn list(conn: &mut AsyncPgConnection, filter: &OrderFilter) -> QueryResult<Vec<Order>> {
        Self::list_query(filter).load(conn).await
    }

    /// The query behind [`list`](Self::list), for plan tests.
    pub fn list_query(filter: &OrderFilter) -> BoxedOrders<'static> {
        let mut query = orders::table.select(Order::as_select()).into_boxed();
        if let Some(customer_id) = filter.customer_id {
            query = query.filter(orders::customer_id.eq(customer_id));
        }
        if let Some(status) = filter.status {
            query = query.filter(orders::status.eq(status));
        }
        query = match filter.active {
            Some(true) => query.filter(orders::status.ne_all(OrderStatus::CLOSED)),
            Some(false) => query.filter(orders::status.eq_any(OrderStatus::CLOSED)),
            None => query,
        };
        if let Some(q) = filter.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let prefix = format!("{}%", crate::db::like_literal(q));
            let phone = crate::domain::PhoneNumber::parse(q).map(|p| p.into_inner()).unwrap_or_else(|_| q.to_owned());
            query = query.filter(
                orders::order_number
                    .like(prefix)
                    .or(diesel::dsl::sql::<diesel::sql_types::Bool>("lower(contact_email) = ")
                        .bind::<diesel::sql_types::Text, _>(q.to_lowercase()))
                    .or(orders::contact_phone.eq(phone)),
            );
        }
        query = match (filter.sort, filter.after) {
            (SortOrder::NewestFirst, Some((at, id))) => {
                query.filter(orders::created_at.lt(at).or(orders::created_at.eq(at).and(orders::id.lt(id))))
            }
            (SortOrder::OldestFirst, Some((at, id))) => {
                query.filter(orders::created_at.gt(at).or(orders::created_at.eq(at).and(orders::id.gt(id))))
            }
            (_, None) => query,
        };
        query = match filter.sort {
            SortOrder::NewestFirst => query.order((orders::created_at.desc(), orders::id.desc())),
            SortOrder::OldestFirst => query.order((orders::created_at.asc(), orders::id.asc())),
        };
        query.limit(filter.limit)
    }

    /// Ships the order to `address` from now on (a new version).
    pub async fn change_address(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        address: &ShippingAddress,
    ) -> QueryResult<Order> {
        diesel::update(orders::table.find(id))
            .set((address, orders::version.eq(orders::version + 1), orders::updated_at.eq(diesel::dsl::now)))
            .returning(Order::as_returning())
            .get_result(conn)
            .await
    }

    /// Sets the date the order is expected (a new version); the first
    /// estimate is kept.
    pub async fn set_estimate(conn: &mut AsyncPgConnection, id: Uuid, at: DateTime<Utc>) -> QueryResult<Order> {
        diesel::update(orders::table.find(id))
            .set((
                // The promise at checkout is kept for on-time rates.
                orders::first_estimated_delivery_at
                    .eq(coalesce(orders::first_estimated_delivery_at, orders::estimated_delivery_at)),
                orders::estimated_delivery_at.eq(at),
                orders::version.eq(orders::version + 1),
                orders::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Order::as_returning())
            .get_result(conn)
            .await
    }

    /// Where the order ships to.
    pub fn shipping_address(&self) -> ShippingAddress {
        ShippingAddress {
            ship_name: self.ship_name.clone(),
            ship_line1: self.ship_line1.clone(),
            ship_line2: self.ship_line2.clone(),
            ship_city: self.ship_city.clone(),
            ship_region: self.ship_region.clone(),
            ship_postal_code: self.ship_postal_code.clone(),
            ship_country: self.ship_country.clone(),
        }
    }
}

/// An order's shipping address, as stored.
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = orders, treat_none_as_null = true)]
pub struct ShippingAddress {
    #[serde(rename = "name")]
    pub ship_name: String,
    #[serde(rename = "line1")]
    pub ship_line1: String,
    #[serde(rename = "line2")]
    pub ship_line2: Option<String>,
    #[serde(rename = "city")]
    pub ship_city: String,
    #[serde(rename = "region")]
    pub ship_region: Option<String>,
    #[serde(rename = "postal_code")]
    pub ship_postal_code: String,
    #[serde(rename = "country")]
    pub ship_country: String,
}

impl ShippingAddress {
    /// On one line, as a message shows it.
    pub fn one_line(&self) -> String {
        format!("{}, {} {}, {}", self.ship_line1, self.ship_postal_code, self.ship_city, self.ship_country)
    }
}
