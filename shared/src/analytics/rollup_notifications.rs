//! Hourly message roll-ups: one hour recomputed from the raw tables and
//! written in place of what was there (the same input gives the same rows).
//! Every read is bounded to the hour and served by an index
//! (`notifications_created_idx`, `notifications_sent_idx`,
//! `notifications_failed_idx`, `notification_events_occurred_idx`).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Double, Integer, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::histogram::{self, LATENCY_MS};
use crate::schema::{notification_daily_rollups, notification_daily_totals, notification_rollups};

/// What one hour's facts are counted by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dimensions {
    pub channel: String,
    pub event: String,
    pub locale: String,
    pub carrier: String,
}

/// One roll-up row.
#[derive(Debug, Clone, PartialEq, Eq, Default, Insertable)]
#[diesel(table_name = notification_rollups)]
pub struct NotificationRollup {
    pub hour: DateTime<Utc>,
    pub channel: String,
    pub event: String,
    pub locale: String,
    pub carrier: String,
    pub queued: i32,
    pub sent: i32,
    pub failed: i32,
    pub delivered: i32,
    pub bounced: i32,
    pub opened: i32,
    pub opened_machine: i32,
    pub clicked: i32,
    pub unsubscribed: i32,
    pub complained: i32,
    pub latency: Vec<i32>,
}

/// A count of one kind of fact, for one set of dimensions (and, for sends,
/// one latency bucket).
#[derive(Debug, QueryableByName)]
struct FactCount {
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Text)]
    event: String,
    #[diesel(sql_type = Text)]
    locale: String,
    #[diesel(sql_type = Text)]
    carrier: String,
    #[diesel(sql_type = Text)]
    fact: String,
    #[diesel(sql_type = Integer)]
    bucket: i32,
    #[diesel(sql_type = Integer)]
    n: i32,
}

/// The facts of [$1, $2): writes, sends (with latency), dead letters, and
/// each message's first delivery report, bounce, open (by a person, and by
/// a machine apart), click, unsubscribe and complaint.
pub const FACTS: &str = "
WITH facts AS (
    SELECT id AS notification_id, 'queued' AS fact, NULL::float8 AS ms
      FROM notifications WHERE created_at >= $1 AND created_at < $2
    UNION ALL
    SELECT id, 'sent', (extract(epoch FROM sent_at - created_at) * 1000)::float8
      FROM notifications WHERE sent_at >= $1 AND sent_at < $2
    UNION ALL
    SELECT id, 'failed', NULL
      FROM notifications WHERE status = 'failed' AND updated_at >= $1 AND updated_at < $2
    UNION ALL
    SELECT e.notification_id, CASE WHEN e.kind = 'opened' AND e.machine THEN 'opened_machine' ELSE e.kind END, NULL
      FROM notification_events e
     WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND e.notification_id IS NOT NULL
       AND e.kind IN ('delivered', 'bounced', 'opened', 'clicked', 'unsubscribed', 'complained')
       AND NOT EXISTS (SELECT 1 FROM notification_events f
                        WHERE f.notification_id = e.notification_id AND f.kind = e.kind AND f.machine = e.machine
                          AND (f.occurred_at, f.id) < (e.occurred_at, e.id))
)
SELECT n.channel, n.event, n.locale, coalesce(s.carrier, '') AS carrier, facts.fact,
       CASE WHEN facts.ms IS NULL THEN -1 ELSE width_bucket(facts.ms, $3) END AS bucket,
       count(*)::int4 AS n
  FROM facts
  JOIN notifications n ON n.id = facts.notification_id
  LEFT JOIN LATERAL (SELECT carrier FROM shipments WHERE order_id = n.order_id
                      ORDER BY created_at DESC LIMIT 1) s ON true
 GROUP BY 1, 2, 3, 4, 5, 6";

/// The roll-up rows of the hour starting at `hour`, from the raw tables.
pub async fn compute(conn: &mut AsyncPgConnection, hour: DateTime<Utc>) -> QueryResult<Vec<NotificationRollup>> {
    let counts: Vec<FactCount> = diesel::sql_query(FACTS)
        .bind::<Timestamptz, _>(hour)
        .bind::<Timestamptz, _>(hour + Duration::hours(1))
        .bind::<Array<Double>, _>(LATENCY_MS)
        .load(conn)
        .await?;
    Ok(fold(hour, counts))
}

fn fold(hour: DateTime<Utc>, counts: Vec<FactCount>) -> Vec<NotificationRollup> {
    let mut rows: BTreeMap<Dimensions, NotificationRollup> = BTreeMap::new();
    for c in counts {
        let key = Dimensions { channel: c.channel, event: c.event, locale: c.locale, carrier: c.carrier };
        let row = rows.entry(key.clone()).or_insert_with(|| NotificationRollup {
            hour,
            channel: key.channel,
            event: key.event,
            locale: key.locale,
            carrier: key.carrier,
            latency: histogram::empty(LATENCY_MS),
            ..NotificationRollup::default()
        });
        let field = match c.fact.as_str() {
            "queued" => &mut row.queued,
            "sent" => &mut row.sent,
            "failed" => &mut row.failed,
            "delivered" => &mut row.delivered,
            "bounced" => &mut row.bounced,
            "opened" => &mut row.opened,
            "opened_machine" => &mut row.opened_machine,
            "clicked" => &mut row.clicked,
            "unsubscribed" => &mut row.unsubscribed,
            "complained" => &mut row.complained,
            _ => continue,
        };
        *field += c.n;
        if c.fact == "sent" {
            if let Some(slot) = usize::try_from(c.bucket).ok().and_then(|b| row.latency.get_mut(b)) {
                *slot += c.n;
            }
        }
    }
    rows.into_values().collect()
}

/// Recomputes `day`'s daily rows from its hours, and their single-dimension
/// totals, inside the caller's transaction.
pub async fn recompute_day(conn: &mut AsyncPgConnection, day: chrono::NaiveDate) -> QueryResult<usize> {
    let (from, to) = super::day_bounds(day);
    diesel::delete(notification_daily_rollups::table.filter(notification_daily_rollups::day.eq(day)))
        .execute(conn)
        .await?;
    let latency: Vec<String> = (1..=LATENCY_MS.len() + 1).map(|i| format!("sum(latency[{i}])::int4")).collect();
    let sql = format!(
        "INSERT INTO notification_daily_rollups
         SELECT $3, channel, event, locale, carrier, sum(queued), sum(sent), sum(failed), sum(delivered),
                sum(bounced), sum(opened), sum(opened_machine), sum(clicked), sum(unsubscribed), sum(complained),
                ARRAY[{}]
           FROM notification_rollups WHERE hour >= $1 AND hour < $2
          GROUP BY channel, event, locale, carrier",
        latency.join(", ")
    );
    diesel::sql_query(sql)
        .bind::<Timestamptz, _>(from)
        .bind::<Timestamptz, _>(to)
        .bind::<diesel::sql_types::Date, _>(day)
        .execute(conn)
        .await?;
    recompute_totals(conn, day).await
}

/// The single-dimension totals of `day`, from its daily rows.
async fn recompute_totals(conn: &mut AsyncPgConnection, day: chrono::NaiveDate) -> QueryResult<usize> {
    diesel::delete(notification_daily_totals::table.filter(notification_daily_totals::day.eq(day)))
        .execute(conn)
        .await?;
    let latency: Vec<String> = (1..=LATENCY_MS.len() + 1).map(|i| format!("sum(latency[{i}])::int4")).collect();
    let sums = format!(
        "sum(queued), sum(sent), sum(failed), sum(delivered), sum(bounced), sum(opened), sum(opened_machine),
         sum(clicked), sum(unsubscribed), sum(complained), ARRAY[{}]",
        latency.join(", ")
    );
    let per = |dimension: &str| {
        let value = if dimension == "all" { "''".to_owned() } else { dimension.to_owned() };
        format!("SELECT $1, '{dimension}', {value}, {sums} FROM notification_daily_rollups WHERE day = $1 GROUP BY 3")
    };
    let sql = format!(
        "INSERT INTO notification_daily_totals {}",
        ["all", "channel", "event", "locale", "carrier"].map(per).join(" UNION ALL ")
    );
    diesel::sql_query(sql).bind::<diesel::sql_types::Date, _>(day).execute(conn).await
}

/// Recomputes the hour starting at `hour` inside the caller's transaction.
pub async fn recompute(conn: &mut AsyncPgConnection, hour: DateTime<Utc>) -> QueryResult<usize> {
    let rows = compute(conn, hour).await?;
    diesel::delete(notification_rollups::table.filter(notification_rollups::hour.eq(hour))).execute(conn).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(notification_rollups::table).values(&rows).execute(conn).await
}
