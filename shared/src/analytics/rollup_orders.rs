//! Daily order roll-ups per carrier: statuses reached, time to ship and to
//! deliver, on-time deliveries against the first estimate, delays and
//! exceptions detected, and how early shoppers were warned of a delay. One
//! day recomputed from the raw tables replaces what was there. Every read
//! is bounded to the day and served by an index (the order of each row is
//! read by its key, a subquery per row, never a join the planner could
//! turn into a walk over every order)
//! (`order_status_history_occurred_idx`, `shipment_issues_detected_idx`,
//! `notifications_sent_idx`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Double, Integer, Nullable, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::histogram::{self, DURATION_HOURS};
use crate::schema::order_rollups;

/// Issue kinds that mean "late" (the others are exceptions).
pub const DELAY_KINDS: [&str; 3] = ["eta_passed", "no_scan", "eta_moved"];

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = order_rollups)]
pub struct OrderRollup {
    pub day: NaiveDate,
    pub carrier: String,
    pub reached: serde_json::Value,
    pub to_ship_hours: Vec<i32>,
    pub to_deliver_hours: Vec<i32>,
    pub with_estimate: i32,
    pub on_time: i32,
    pub delays: i32,
    pub exceptions: i32,
    pub warnings: i32,
    pub warnings_early: i32,
    pub warning_lead_hours: Vec<i32>,
}

impl OrderRollup {
    fn empty(day: NaiveDate, carrier: String) -> Self {
        OrderRollup {
            day,
            carrier,
            reached: serde_json::json!({}),
            to_ship_hours: histogram::empty(DURATION_HOURS),
            to_deliver_hours: histogram::empty(DURATION_HOURS),
            with_estimate: 0,
            on_time: 0,
            delays: 0,
            exceptions: 0,
            warnings: 0,
            warnings_early: 0,
            warning_lead_hours: histogram::empty(DURATION_HOURS),
        }
    }
}

/// The latest parcel's carrier of the order `$order` names ('' for none).
macro_rules! carrier_of {
    ($order:literal) => {
        concat!(
            "LEFT JOIN LATERAL (SELECT carrier FROM shipments WHERE order_id = ",
            $order,
            " ORDER BY created_at DESC LIMIT 1) s ON true"
        )
    };
}

#[derive(QueryableByName)]
struct Reached {
    #[diesel(sql_type = Text)]
    carrier: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Integer)]
    n: i32,
}

/// Orders that reached each status during the day.
pub const REACHED: &str = concat!(
    "SELECT coalesce(s.carrier, '') AS carrier, h.to_status AS status, count(DISTINCT h.order_id)::int4 AS n
       FROM order_status_history h ",
    carrier_of!("h.order_id"),
    " WHERE h.occurred_at >= $1 AND h.occurred_at < $2 GROUP BY 1, 2"
);

#[derive(QueryableByName)]
struct Step {
    #[diesel(sql_type = Text)]
    carrier: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
    /// Hours since the step before (confirmed -> shipped -> delivered).
    #[diesel(sql_type = Nullable<Double>)]
    hours: Option<f64>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    estimate: Option<DateTime<Utc>>,
}

/// Each shipment and delivery of the day, with how long since the step
/// before and the order's first estimate.
pub const STEPS: &str = concat!(
    "SELECT coalesce(s.carrier, '') AS carrier, h.to_status AS status, h.occurred_at AS at,
            (extract(epoch FROM h.occurred_at - prev.at) / 3600)::float8 AS hours,
            (SELECT coalesce(o.first_estimated_delivery_at, o.estimated_delivery_at) FROM orders o
              WHERE o.id = h.order_id) AS estimate
       FROM order_status_history h ",
    carrier_of!("h.order_id"),
    " LEFT JOIN LATERAL (SELECT min(p.occurred_at) AS at FROM order_status_history p
                         WHERE p.order_id = h.order_id
                           AND p.to_status = CASE h.to_status WHEN 'shipped' THEN 'confirmed' ELSE 'shipped' END) prev ON true
      WHERE h.occurred_at >= $1 AND h.occurred_at < $2 AND h.to_status IN ('shipped', 'delivered')"
);

#[derive(QueryableByName)]
struct Issues {
    #[diesel(sql_type = Text)]
    carrier: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Integer)]
    n: i32,
}

pub const ISSUES: &str = "SELECT s.carrier, i.kind, count(*)::int4 AS n
       FROM shipment_issues i JOIN shipments s ON s.id = i.shipment_id
      WHERE i.detected_at >= $1 AND i.detected_at < $2 GROUP BY 1, 2";

#[derive(QueryableByName)]
struct Warning {
    #[diesel(sql_type = Text)]
    carrier: String,
    #[diesel(sql_type = Timestamptz)]
    sent_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    estimate: Option<DateTime<Utc>>,
}

/// Each order's first delay warning sent during the day (any channel).
pub const WARNINGS: &str = concat!(
    "SELECT DISTINCT ON (n.order_id) coalesce(s.carrier, '') AS carrier, n.sent_at AS sent_at,
            (SELECT coalesce(o.first_estimated_delivery_at, o.estimated_delivery_at) FROM orders o
              WHERE o.id = n.order_id) AS estimate
       FROM notifications n ",
    carrier_of!("n.order_id"),
    " WHERE n.sent_at >= $1 AND n.sent_at < $2 AND n.event = 'delayed'
      ORDER BY n.order_id, n.sent_at"
);

/// The roll-up rows of `day` (UTC), from the raw tables.
pub async fn compute(conn: &mut AsyncPgConnection, day: NaiveDate) -> QueryResult<Vec<OrderRollup>> {
    let (from, to) = super::day_bounds(day);
    let bounds = |sql: &'static str| diesel::sql_query(sql).bind::<Timestamptz, _>(from).bind::<Timestamptz, _>(to);
    let reached: Vec<Reached> = bounds(REACHED).load(conn).await?;
    let steps: Vec<Step> = bounds(STEPS).load(conn).await?;
    let issues: Vec<Issues> = bounds(ISSUES).load(conn).await?;
    let warnings: Vec<Warning> = bounds(WARNINGS).load(conn).await?;

    let mut rows: BTreeMap<String, OrderRollup> = BTreeMap::new();
    fn row<'a>(rows: &'a mut BTreeMap<String, OrderRollup>, day: NaiveDate, carrier: &str) -> &'a mut OrderRollup {
        rows.entry(carrier.to_owned()).or_insert_with(|| OrderRollup::empty(day, carrier.to_owned()))
    }
    for r in reached {
        row(&mut rows, day, &r.carrier).reached[r.status] = r.n.into();
    }
    for step in steps {
        let row = row(&mut rows, day, &step.carrier);
        let hours = step.hours.map(|h| histogram::bucket_of(DURATION_HOURS, h));
        if step.status == "shipped" {
            hours.into_iter().for_each(|b| row.to_ship_hours[b] += 1);
            continue;
        }
        hours.into_iter().for_each(|b| row.to_deliver_hours[b] += 1);
        if let Some(estimate) = step.estimate {
            row.with_estimate += 1;
            // By the promised day counts as on time.
            if step.at.date_naive() <= estimate.date_naive() {
                row.on_time += 1;
            }
        }
    }
    for i in issues {
        let row = row(&mut rows, day, &i.carrier);
        if DELAY_KINDS.contains(&i.kind.as_str()) {
            row.delays += i.n;
        } else {
            row.exceptions += i.n;
        }
    }
    for w in warnings {
        let row = row(&mut rows, day, &w.carrier);
        row.warnings += 1;
        if let Some(estimate) = w.estimate.filter(|estimate| *estimate > w.sent_at) {
            row.warnings_early += 1;
            let lead = (estimate - w.sent_at).num_seconds() as f64 / 3600.0;
            row.warning_lead_hours[histogram::bucket_of(DURATION_HOURS, lead)] += 1;
        }
    }
    Ok(rows.into_values().collect())
}

/// Recomputes `day` inside the caller's transaction.
pub async fn recompute(conn: &mut AsyncPgConnection, day: NaiveDate) -> QueryResult<usize> {
    let rows = compute(conn, day).await?;
    diesel::delete(order_rollups::table.filter(order_rollups::day.eq(day))).execute(conn).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(order_rollups::table).values(&rows).execute(conn).await
}
