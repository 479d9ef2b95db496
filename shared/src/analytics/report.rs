//! Reading the roll-ups back: series over a time range at an interval,
//! grouped by the dimensions asked for. Only roll-up tables are read, by
//! their primary keys' leading time column.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::histogram::{self, DURATION_HOURS, LATENCY_MS};
use crate::schema::{order_rollups, satisfaction_rollups};
use crate::text_enum;

text_enum! {
    /// The width of a series' points.
    Interval ("interval") {
        Hour => "hour",
        Day => "day",
        Week => "week",
    }
}

/// A validated time range: `from` inclusive, `to` exclusive, `interval` wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub interval: Interval,
}

impl Range {
    /// The days the range touches, for the daily roll-ups.
    fn days(&self) -> (NaiveDate, NaiveDate) {
        let last = (self.to - Duration::nanoseconds(1)).date_naive();
        (self.from.date_naive(), last)
    }

    /// The start of the point `day` belongs to.
    fn point_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let day = match self.interval {
            Interval::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            _ => day,
        };
        super::day_bounds(day).0
    }
}

/// The message dimensions a series can be grouped by.
pub const NOTIFICATION_GROUPS: &[&str] = &["channel", "event", "locale", "carrier"];
/// The order dimensions.
pub const ORDER_GROUPS: &[&str] = &["carrier"];
/// The satisfaction dimensions.
pub const SATISFACTION_GROUPS: &[&str] = &["delayed", "warned", "carrier", "channels"];

/// One point of the message series.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NotificationPoint {
    pub at: DateTime<Utc>,
    /// The group's dimensions (only those grouped by).
    #[schema(value_type = Object)]
    pub group: BTreeMap<String, String>,
    pub queued: i64,
    pub sent: i64,
    /// Dead-lettered: given up on.
    pub failed: i64,
    pub delivered: i64,
    pub bounced: i64,
    /// Messages opened by a person (each counted once).
    pub opened: i64,
    /// Messages opened only by a mail-privacy proxy's prefetch, apart.
    pub opened_machine: i64,
    /// Messages with a link clicked (each counted once).
    pub clicked: i64,
    pub unsubscribed: i64,
    pub complained: i64,
    /// delivered / sent, opened / sent, clicked / sent, bounced / sent.
    pub delivery_rate: Option<f64>,
    pub open_rate: Option<f64>,
    pub click_rate: Option<f64>,
    pub bounce_rate: Option<f64>,
    /// From the event to the provider's acceptance, estimated from a histogram.
    pub latency_p50_ms: Option<f64>,
    pub latency_p90_ms: Option<f64>,
}

#[derive(QueryableByName)]
struct NotificationSums {
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Text)]
    event: String,
    #[diesel(sql_type = Text)]
    locale: String,
    #[diesel(sql_type = Text)]
    carrier: String,
    #[diesel(sql_type = Array<BigInt>)]
    counts: Vec<i64>,
    #[diesel(sql_type = Array<BigInt>)]
    latency: Vec<i64>,
}

const COUNTS: [&str; 10] = [
    "queued",
    "sent",
    "failed",
    "delivered",
    "bounced",
    "opened",
    "opened_machine",
    "clicked",
    "unsubscribed",
    "complained",
];

/// The message series: hourly points from the hourly roll-ups, daily and
/// weekly ones from the daily roll-ups. `group_by` holds names of
/// [`NOTIFICATION_GROUPS`] (checked by the caller; others are ignored).
pub async fn notifications(
    conn: &mut AsyncPgConnection,
    range: Range,
    group_by: &[String],
) -> QueryResult<Vec<NotificationPoint>> {
    let grouped = |name: &str| {
        if group_by.iter().any(|g| g == name) {
            name.to_owned()
        } else {
            format!("''::text AS {name}")
        }
    };
    let daily_bounds =
        "day >= ($1 AT TIME ZONE 'UTC')::date AND day <= (($2 - interval '1 microsecond') AT TIME ZONE 'UTC')::date";
    let daily_at = if range.interval == Interval::Week {
        "date_trunc('week', day::timestamp) AT TIME ZONE 'UTC'"
    } else {
        "day::timestamp AT TIME ZONE 'UTC'"
    };
    // By at most one dimension, a day is a handful of pre-summed rows.
    let totals = match group_by {
        [] => Some("all"),
        [one] => NOTIFICATION_GROUPS.iter().find(|g| *g == one).copied(),
        _ => None,
    };
    let (table, at, bounds, dimension) = match (range.interval, totals) {
        (Interval::Hour, _) => {
            ("notification_rollups", "date_trunc('hour', hour, 'UTC')", "hour >= $1 AND hour < $2".to_owned(), None)
        }
        (_, Some(total)) => {
            ("notification_daily_totals", daily_at, format!("dimension = '{total}' AND {daily_bounds}"), Some(total))
        }
        (_, None) => ("notification_daily_rollups", daily_at, daily_bounds.to_owned(), None),
    };
    let dimension = |name: &str| match dimension {
        Some(total) if total == name => format!("value AS {name}"),
        Some(_) => format!("''::text AS {name}"),
        None => grouped(name),
    };
    let counts: Vec<String> = COUNTS.iter().map(|c| format!("sum({c})")).collect();
    let latency: Vec<String> = (1..=LATENCY_MS.len() + 1).map(|i| format!("sum(latency[{i}])")).collect();
    let sql = format!(
        "SELECT {at} AS at, {}, {}, {}, {}, ARRAY[{}]::int8[] AS counts, ARRAY[{}]::int8[] AS latency
           FROM {table} WHERE {bounds} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
        dimension("channel"),
        dimension("event"),
        dimension("locale"),
        dimension("carrier"),
        counts.join(", "),
        latency.join(", "),
    );
    let rows: Vec<NotificationSums> =
        diesel::sql_query(sql).bind::<Timestamptz, _>(range.from).bind::<Timestamptz, _>(range.to).load(conn).await?;
    Ok(rows.into_iter().map(|row| notification_point(row, group_by)).collect())
}

fn notification_point(row: NotificationSums, group_by: &[String]) -> NotificationPoint {
    let count =
        |name: &str| COUNTS.iter().position(|c| *c == name).and_then(|i| row.counts.get(i)).copied().unwrap_or(0);
    let group = [("channel", &row.channel), ("event", &row.event), ("locale", &row.locale), ("carrier", &row.carrier)]
        .into_iter()
        .filter(|(name, _)| group_by.iter().any(|g| g == name))
        .map(|(name, value)| (name.to_owned(), value.clone()))
        .collect();
    let sent = count("sent");
    let rate = |n: i64| (sent > 0).then(|| n as f64 / sent as f64);
    let latency: Vec<i32> = row.latency.iter().map(|n| i32::try_from(*n).unwrap_or(i32::MAX)).collect();
    NotificationPoint {
        at: row.at,
        group,
        queued: count("queued"),
        sent,
        failed: count("failed"),
        delivered: count("delivered"),
        bounced: count("bounced"),
        opened: count("opened"),
        opened_machine: count("opened_machine"),
        clicked: count("clicked"),
        unsubscribed: count("unsubscribed"),
        complained: count("complained"),
        delivery_rate: rate(count("delivered")),
        open_rate: rate(count("opened")),
        click_rate: rate(count("clicked")),
        bounce_rate: rate(count("bounced")),
        latency_p50_ms: histogram::quantile(LATENCY_MS, &latency, 0.5),
        latency_p90_ms: histogram::quantile(LATENCY_MS, &latency, 0.9),
    }
}

/// One point of the order series.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OrderPoint {
    pub at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub group: BTreeMap<String, String>,
    /// Orders that reached each status, by status.
    #[schema(value_type = Object)]
    pub reached: BTreeMap<String, i64>,
    /// Confirmed to shipped, and shipped to delivered (hours, estimated from a histogram).
    pub to_ship_p50_hours: Option<f64>,
    pub to_ship_p90_hours: Option<f64>,
    pub to_deliver_p50_hours: Option<f64>,
    pub to_deliver_p90_hours: Option<f64>,
    /// Deliveries of orders with an estimate, those by the first estimate's day, and their ratio.
    pub with_estimate: i64,
    pub on_time: i64,
    pub on_time_rate: Option<f64>,
    /// Delays (estimate passed, no scan, estimate moved) and carrier exceptions detected.
    pub delays: i64,
    pub exceptions: i64,
    /// Orders warned of a delay, those warned before the first estimate, and how long before it.
    pub warnings: i64,
    pub warnings_early: i64,
    pub warning_lead_p50_hours: Option<f64>,
}

type OrderRow = (
    NaiveDate,
    String,
    serde_json::Value,
    Vec<Option<i32>>,
    Vec<Option<i32>>,
    i32,
    i32,
    i32,
    i32,
    i32,
    i32,
    Vec<Option<i32>>,
);

/// Totals of one order point while it is summed.
struct OrderSums {
    reached: BTreeMap<String, i64>,
    to_ship: Vec<i32>,
    to_deliver: Vec<i32>,
    lead: Vec<i32>,
    ints: [i64; 6],
}

/// The order series (daily roll-ups; an hourly interval reads as daily).
pub async fn orders(conn: &mut AsyncPgConnection, range: Range, group_by: &[String]) -> QueryResult<Vec<OrderPoint>> {
    let (first, last) = range.days();
    let rows: Vec<OrderRow> = order_rollups::table
        .filter(order_rollups::day.ge(first).and(order_rollups::day.le(last)))
        .select((
            order_rollups::day,
            order_rollups::carrier,
            order_rollups::reached,
            order_rollups::to_ship_hours,
            order_rollups::to_deliver_hours,
            order_rollups::with_estimate,
            order_rollups::on_time,
            order_rollups::delays,
            order_rollups::exceptions,
            order_rollups::warnings,
            order_rollups::warnings_early,
            order_rollups::warning_lead_hours,
        ))
        .order(order_rollups::day)
        .load(conn)
        .await?;
    let by_carrier = group_by.iter().any(|g| g == "carrier");
    let mut points: BTreeMap<(DateTime<Utc>, String), OrderSums> = BTreeMap::new();
    let flat = |v: Vec<Option<i32>>| v.into_iter().map(Option::unwrap_or_default).collect::<Vec<i32>>();
    for (
        day,
        carrier,
        reached,
        to_ship,
        to_deliver,
        with_estimate,
        on_time,
        delays,
        exceptions,
        warnings,
        early,
        lead,
    ) in rows
    {
        let key = (range.point_of(day), if by_carrier { carrier } else { String::new() });
        let sums = points.entry(key).or_insert_with(|| OrderSums {
            reached: BTreeMap::new(),
            to_ship: histogram::empty(DURATION_HOURS),
            to_deliver: histogram::empty(DURATION_HOURS),
            lead: histogram::empty(DURATION_HOURS),
            ints: [0; 6],
        });
        if let Some(statuses) = reached.as_object() {
            for (status, n) in statuses {
                *sums.reached.entry(status.clone()).or_default() += n.as_i64().unwrap_or(0);
            }
        }
        histogram::add(&mut sums.to_ship, &flat(to_ship));
        histogram::add(&mut sums.to_deliver, &flat(to_deliver));
        histogram::add(&mut sums.lead, &flat(lead));
        for (slot, n) in sums.ints.iter_mut().zip([with_estimate, on_time, delays, exceptions, warnings, early]) {
            *slot += i64::from(n);
        }
    }
    Ok(points
        .into_iter()
        .map(|((at, carrier), s)| {
            let [with_estimate, on_time, delays, exceptions, warnings, warnings_early] = s.ints;
            OrderPoint {
                at,
                group: if by_carrier { BTreeMap::from([("carrier".to_owned(), carrier)]) } else { BTreeMap::new() },
                reached: s.reached,
                to_ship_p50_hours: histogram::quantile(DURATION_HOURS, &s.to_ship, 0.5),
                to_ship_p90_hours: histogram::quantile(DURATION_HOURS, &s.to_ship, 0.9),
                to_deliver_p50_hours: histogram::quantile(DURATION_HOURS, &s.to_deliver, 0.5),
                to_deliver_p90_hours: histogram::quantile(DURATION_HOURS, &s.to_deliver, 0.9),
                with_estimate,
                on_time,
                on_time_rate: (with_estimate > 0).then(|| on_time as f64 / with_estimate as f64),
                delays,
                exceptions,
                warnings,
                warnings_early,
                warning_lead_p50_hours: histogram::quantile(DURATION_HOURS, &s.lead, 0.5),
            }
        })
        .collect())
}

/// One point of the satisfaction series.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SatisfactionPoint {
    pub at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub group: BTreeMap<String, String>,
    pub ratings: i64,
    pub average: Option<f64>,
    /// Ratings of 1, 2, 3, 4 and 5.
    pub scores: [i64; 5],
}

type SatisfactionRow = (NaiveDate, bool, bool, String, String, i32, i32, Vec<Option<i32>>);

/// A point's key (its start and group) and its sums: ratings, score total, scores 1 to 5.
type SatisfactionSums = BTreeMap<(DateTime<Utc>, BTreeMap<String, String>), (i64, i64, [i64; 5])>;

/// The satisfaction series (daily roll-ups, by the day ratings were first given).
pub async fn satisfaction(
    conn: &mut AsyncPgConnection,
    range: Range,
    group_by: &[String],
) -> QueryResult<Vec<SatisfactionPoint>> {
    let (first, last) = range.days();
    let rows: Vec<SatisfactionRow> = satisfaction_rollups::table
        .filter(satisfaction_rollups::day.ge(first).and(satisfaction_rollups::day.le(last)))
        .select((
            satisfaction_rollups::day,
            satisfaction_rollups::delayed,
            satisfaction_rollups::warned,
            satisfaction_rollups::carrier,
            satisfaction_rollups::channels,
            satisfaction_rollups::ratings,
            satisfaction_rollups::score_sum,
            satisfaction_rollups::scores,
        ))
        .load(conn)
        .await?;
    let grouped = |name: &str| group_by.iter().any(|g| g == name);
    let mut points = SatisfactionSums::new();
    for (day, delayed, warned, carrier, channels, ratings, score_sum, scores) in rows {
        let group: BTreeMap<String, String> = [
            ("delayed", delayed.to_string()),
            ("warned", warned.to_string()),
            ("carrier", carrier),
            ("channels", channels),
        ]
        .into_iter()
        .filter(|(name, _)| grouped(name))
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        let point = points.entry((range.point_of(day), group)).or_insert((0, 0, [0; 5]));
        point.0 += i64::from(ratings);
        point.1 += i64::from(score_sum);
        for (slot, n) in point.2.iter_mut().zip(scores) {
            *slot += i64::from(n.unwrap_or(0));
        }
    }
    Ok(points
        .into_iter()
        .map(|((at, group), (ratings, sum, scores))| SatisfactionPoint {
            at,
            group,
            ratings,
            average: (ratings > 0).then(|| sum as f64 / ratings as f64),
            scores,
        })
        .collect())
}
