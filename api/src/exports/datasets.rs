//! What each export holds, read a page at a time by a keyset on its time
//! column's index, so any range streams with one page in memory.
//!
//! No contact data leaves: messages carry their channel, not the address.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bool, Double, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::table::{col, Cell, Column, Kind, Row};

/// Rows read per query (and, in Parquet, per row group).
pub const PAGE: i64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// Messages with what became of them.
    Notifications,
    /// Orders with their timings.
    Orders,
    Ratings,
}

/// Where the next page starts: the last row's time and id.
pub type Cursor = Option<(DateTime<Utc>, Uuid)>;

impl Dataset {
    pub fn parse(text: &str) -> Option<Dataset> {
        match text {
            "notifications" => Some(Dataset::Notifications),
            "orders" => Some(Dataset::Orders),
            "ratings" => Some(Dataset::Ratings),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dataset::Notifications => "notifications",
            Dataset::Orders => "orders",
            Dataset::Ratings => "ratings",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Dataset::Notifications => NOTIFICATION_COLUMNS,
            Dataset::Orders => ORDER_COLUMNS,
            Dataset::Ratings => RATING_COLUMNS,
        }
    }

    /// The page of rows in [from, to) after `after`, and the next cursor
    /// (`None` once done).
    pub async fn page(
        self,
        conn: &mut AsyncPgConnection,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Cursor,
    ) -> diesel::QueryResult<(Vec<Row>, Cursor)> {
        let (after_at, after_id) = after.unwrap_or((from - chrono::Duration::microseconds(1), Uuid::nil()));
        macro_rules! load {
            ($sql:expr, $row:ty) => {{
                let rows: Vec<$row> = diesel::sql_query($sql)
                    .bind::<Timestamptz, _>(from)
                    .bind::<Timestamptz, _>(to)
                    .bind::<Timestamptz, _>(after_at)
                    .bind::<SqlUuid, _>(after_id)
                    .bind::<BigInt, _>(PAGE)
                    .load(conn)
                    .await?;
                let next = (rows.len() as i64 == PAGE).then(|| rows.last().map(|r| (r.at, r.id))).flatten();
                (rows.into_iter().map(Into::into).collect(), next)
            }};
        }
        Ok(match self {
            Dataset::Notifications => load!(NOTIFICATIONS, NotificationRow),
            Dataset::Orders => load!(ORDERS, OrderRow),
            Dataset::Ratings => load!(RATINGS, RatingRow),
        })
    }
}

const NOTIFICATION_COLUMNS: &[Column] = &[
    col("id", Kind::Text),
    col("order_id", Kind::Text),
    col("event", Kind::Text),
    col("channel", Kind::Text),
    col("locale", Kind::Text),
    col("status", Kind::Text),
    col("attempts", Kind::Int),
    col("created_at", Kind::Time),
    col("sent_at", Kind::Time),
    col("send_latency_ms", Kind::Float),
    col("delivered_at", Kind::Time),
    col("bounced_at", Kind::Time),
    col("first_opened_at", Kind::Time),
    col("opens", Kind::Int),
    col("machine_opens", Kind::Int),
    col("first_clicked_at", Kind::Time),
    col("clicks", Kind::Int),
    col("unsubscribed_at", Kind::Time),
    col("complained_at", Kind::Time),
];

/// Keyset on `notifications_created_idx`; events per message on
/// `notification_events_notification_idx`.
const NOTIFICATIONS: &str = "
SELECT n.id, n.created_at AS at, n.order_id, n.event, n.channel, n.locale,
       CASE WHEN n.status = 'pending' AND n.locked_until IS NOT NULL THEN 'sending' ELSE n.status END AS status,
       n.attempts, n.sent_at,
       (extract(epoch FROM n.sent_at - n.created_at) * 1000)::float8 AS send_latency_ms,
       coalesce(e.delivered_at, n.delivered_at) AS delivered_at, e.bounced_at, e.first_opened_at,
       coalesce(e.opens, 0) AS opens, coalesce(e.machine_opens, 0) AS machine_opens, e.first_clicked_at,
       coalesce(e.clicks, 0) AS clicks, e.unsubscribed_at, e.complained_at
  FROM notifications n
  LEFT JOIN LATERAL (
       SELECT min(occurred_at) FILTER (WHERE kind = 'delivered') AS delivered_at,
              min(occurred_at) FILTER (WHERE kind = 'bounced') AS bounced_at,
              min(occurred_at) FILTER (WHERE kind = 'opened' AND NOT machine) AS first_opened_at,
              count(*) FILTER (WHERE kind = 'opened' AND NOT machine) AS opens,
              count(*) FILTER (WHERE kind = 'opened' AND machine) AS machine_opens,
              min(occurred_at) FILTER (WHERE kind = 'clicked') AS first_clicked_at,
              count(*) FILTER (WHERE kind = 'clicked') AS clicks,
              min(occurred_at) FILTER (WHERE kind = 'unsubscribed') AS unsubscribed_at,
              min(occurred_at) FILTER (WHERE kind = 'complained') AS complained_at
         FROM notification_events WHERE notification_id = n.id) e ON true
 WHERE n.created_at >= $1 AND n.created_at < $2 AND (n.created_at, n.id) > ($3, $4)
 ORDER BY n.created_at, n.id LIMIT $5";

#[derive(QueryableByName)]
struct NotificationRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    order_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    event: String,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Text)]
    locale: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Int4)]
    attempts: i32,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    sent_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Double>)]
    send_latency_ms: Option<f64>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    delivered_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    bounced_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    first_opened_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    opens: i64,
    #[diesel(sql_type = BigInt)]
    machine_opens: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    first_clicked_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    unsubscribed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    complained_at: Option<DateTime<Utc>>,
}

impl From<NotificationRow> for Row {
    fn from(r: NotificationRow) -> Row {
        vec![
            Cell::Text(Some(r.id.to_string())),
            Cell::Text(r.order_id.map(|id| id.to_string())),
            Cell::Text(Some(r.event)),
            Cell::Text(Some(r.channel)),
            Cell::Text(Some(r.locale)),
            Cell::Text(Some(r.status)),
            Cell::Int(Some(i64::from(r.attempts))),
            Cell::Time(Some(r.at)),
            Cell::Time(r.sent_at),
            Cell::Float(r.send_latency_ms),
            Cell::Time(r.delivered_at),
            Cell::Time(r.bounced_at),
            Cell::Time(r.first_opened_at),
            Cell::Int(Some(r.opens)),
            Cell::Int(Some(r.machine_opens)),
            Cell::Time(r.first_clicked_at),
            Cell::Int(Some(r.clicks)),
            Cell::Time(r.unsubscribed_at),
            Cell::Time(r.complained_at),
        ]
    }
}

const ORDER_COLUMNS: &[Column] = &[
    col("id", Kind::Text),
    col("order_number", Kind::Text),
    col("status", Kind::Text),
    col("locale", Kind::Text),
    col("carrier", Kind::Text),
    col("created_at", Kind::Time),
    col("confirmed_at", Kind::Time),
    col("shipped_at", Kind::Time),
    col("delivered_at", Kind::Time),
    col("first_estimated_delivery_at", Kind::Time),
    col("estimated_delivery_at", Kind::Time),
    col("hours_to_ship", Kind::Float),
    col("hours_to_deliver", Kind::Float),
    col("on_time", Kind::Bool),
    col("delays", Kind::Int),
    col("exceptions", Kind::Int),
    col("first_delay_warning_at", Kind::Time),
];

/// Keyset on `orders_created_idx`; steps on `order_status_history_order_idx`.
const ORDERS: &str = "
SELECT o.id, o.created_at AS at, o.order_number, o.status, o.locale, s.carrier,
       h.confirmed_at, h.shipped_at, h.delivered_at,
       coalesce(o.first_estimated_delivery_at, o.estimated_delivery_at) AS first_estimated_delivery_at,
       o.estimated_delivery_at,
       (extract(epoch FROM h.shipped_at - h.confirmed_at) / 3600)::float8 AS hours_to_ship,
       (extract(epoch FROM h.delivered_at - h.shipped_at) / 3600)::float8 AS hours_to_deliver,
       h.delivered_at::date <= coalesce(o.first_estimated_delivery_at, o.estimated_delivery_at)::date AS on_time,
       (SELECT count(*) FROM shipment_issues i WHERE i.order_id = o.id
           AND i.kind IN ('eta_passed', 'no_scan', 'eta_moved')) AS delays,
       (SELECT count(*) FROM shipment_issues i WHERE i.order_id = o.id AND i.kind = 'carrier_exception') AS exceptions,
       (SELECT min(sent_at) FROM notifications n WHERE n.order_id = o.id AND n.event = 'delayed') AS first_delay_warning_at
  FROM orders o
  LEFT JOIN LATERAL (
       SELECT min(occurred_at) FILTER (WHERE to_status = 'confirmed') AS confirmed_at,
              min(occurred_at) FILTER (WHERE to_status = 'shipped') AS shipped_at,
              min(occurred_at) FILTER (WHERE to_status = 'delivered') AS delivered_at
         FROM order_status_history WHERE order_id = o.id) h ON true
  LEFT JOIN LATERAL (SELECT carrier FROM shipments WHERE order_id = o.id ORDER BY created_at DESC LIMIT 1) s ON true
 WHERE o.created_at >= $1 AND o.created_at < $2 AND (o.created_at, o.id) > ($3, $4)
 ORDER BY o.created_at, o.id LIMIT $5";

#[derive(QueryableByName)]
struct OrderRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    order_number: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    locale: String,
    #[diesel(sql_type = Nullable<Text>)]
    carrier: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    confirmed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    shipped_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    delivered_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    first_estimated_delivery_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    estimated_delivery_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Double>)]
    hours_to_ship: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    hours_to_deliver: Option<f64>,
    #[diesel(sql_type = Nullable<Bool>)]
    on_time: Option<bool>,
    #[diesel(sql_type = BigInt)]
    delays: i64,
    #[diesel(sql_type = BigInt)]
    exceptions: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    first_delay_warning_at: Option<DateTime<Utc>>,
}

impl From<OrderRow> for Row {
    fn from(r: OrderRow) -> Row {
        vec![
            Cell::Text(Some(r.id.to_string())),
            Cell::Text(Some(r.order_number)),
            Cell::Text(Some(r.status)),
            Cell::Text(Some(r.locale)),
            Cell::Text(r.carrier),
            Cell::Time(Some(r.at)),
            Cell::Time(r.confirmed_at),
            Cell::Time(r.shipped_at),
            Cell::Time(r.delivered_at),
            Cell::Time(r.first_estimated_delivery_at),
            Cell::Time(r.estimated_delivery_at),
            Cell::Float(r.hours_to_ship),
            Cell::Float(r.hours_to_deliver),
            Cell::Bool(r.on_time),
            Cell::Int(Some(r.delays)),
            Cell::Int(Some(r.exceptions)),
            Cell::Time(r.first_delay_warning_at),
        ]
    }
}

const RATING_COLUMNS: &[Column] = &[
    col("order_id", Kind::Text),
    col("order_number", Kind::Text),
    col("score", Kind::Int),
    col("comment", Kind::Text),
    col("channel", Kind::Text),
    col("carrier", Kind::Text),
    col("rated_at", Kind::Time),
    col("updated_at", Kind::Time),
];

/// Keyset on `order_ratings_rated_idx`.
const RATINGS: &str = "
SELECT r.order_id AS id, r.rated_at AS at, o.order_number, r.score::int4 AS score, r.comment, n.channel,
       s.carrier, r.updated_at
  FROM order_ratings r
  JOIN orders o ON o.id = r.order_id
  JOIN notifications n ON n.id = r.notification_id
  LEFT JOIN LATERAL (SELECT carrier FROM shipments WHERE order_id = r.order_id ORDER BY created_at DESC LIMIT 1) s ON true
 WHERE r.rated_at >= $1 AND r.rated_at < $2 AND (r.rated_at, r.order_id) > ($3, $4)
 ORDER BY r.rated_at, r.order_id LIMIT $5";

#[derive(QueryableByName)]
struct RatingRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    order_number: String,
    #[diesel(sql_type = Int4)]
    score: i32,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Nullable<Text>)]
    carrier: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    updated_at: DateTime<Utc>,
}

impl From<RatingRow> for Row {
    fn from(r: RatingRow) -> Row {
        vec![
            Cell::Text(Some(r.id.to_string())),
            Cell::Text(Some(r.order_number)),
            Cell::Int(Some(i64::from(r.score))),
            Cell::Text(r.comment),
            Cell::Text(Some(r.channel)),
            Cell::Text(r.carrier),
            Cell::Time(Some(r.at)),
            Cell::Time(Some(r.updated_at)),
        ]
    }
}
