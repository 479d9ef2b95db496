//! Daily satisfaction roll-ups: the ratings first given that day (at their
//! current score), by whether the order was delayed, whether the shopper was
//! warned before the first estimate, carrier, and the channels that reached
//! them. Reads are bounded to the day (`order_ratings_rated_idx`) and look
//! up each rated order by its indexes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::satisfaction_rollups;

#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = satisfaction_rollups)]
pub struct SatisfactionRollup {
    pub day: NaiveDate,
    pub delayed: bool,
    pub warned: bool,
    pub carrier: String,
    pub channels: String,
    pub ratings: i32,
    pub score_sum: i32,
    pub scores: Vec<i32>,
}

#[derive(QueryableByName)]
struct Rated {
    #[diesel(sql_type = Integer)]
    score: i32,
    #[diesel(sql_type = Text)]
    carrier: String,
    #[diesel(sql_type = Bool)]
    delayed: bool,
    #[diesel(sql_type = Bool)]
    warned: bool,
    #[diesel(sql_type = Text)]
    channels: String,
}

/// Delayed: a late-parcel issue, or delivered after the first estimate's
/// day. Warned: a delay message sent before the first estimate.
pub const RATED: &str = "
SELECT r.score::int4 AS score, coalesce(s.carrier, '') AS carrier,
       EXISTS (SELECT 1 FROM shipment_issues i
                WHERE i.order_id = r.order_id AND i.kind IN ('eta_passed', 'no_scan', 'eta_moved'))
       OR coalesce((SELECT min(h.occurred_at) FROM order_status_history h
                     WHERE h.order_id = r.order_id AND h.to_status = 'delivered')::date > e.estimate::date, false)
         AS delayed,
       EXISTS (SELECT 1 FROM notifications n
                WHERE n.order_id = r.order_id AND n.event = 'delayed' AND n.sent_at < e.estimate) AS warned,
       coalesce((SELECT string_agg(DISTINCT n.channel, '+' ORDER BY n.channel) FROM notifications n
                  WHERE n.order_id = r.order_id AND n.status = 'sent'), '') AS channels
  FROM order_ratings r
  -- By the order's key, per rating: never a walk over every order.
  CROSS JOIN LATERAL (SELECT (SELECT coalesce(o.first_estimated_delivery_at, o.estimated_delivery_at)
                                FROM orders o WHERE o.id = r.order_id) AS estimate) e
  LEFT JOIN LATERAL (SELECT carrier FROM shipments WHERE order_id = r.order_id ORDER BY created_at DESC LIMIT 1) s ON true
 WHERE r.rated_at >= $1 AND r.rated_at < $2";

/// The roll-up rows of `day` (UTC), from the raw tables.
pub async fn compute(conn: &mut AsyncPgConnection, day: NaiveDate) -> QueryResult<Vec<SatisfactionRollup>> {
    let (from, to) = super::day_bounds(day);
    let rated: Vec<Rated> =
        diesel::sql_query(RATED).bind::<Timestamptz, _>(from).bind::<Timestamptz, _>(to).load(conn).await?;
    let mut rows: BTreeMap<(bool, bool, String, String), SatisfactionRollup> = BTreeMap::new();
    for r in rated {
        let key = (r.delayed, r.warned, r.carrier.clone(), r.channels.clone());
        let row = rows.entry(key).or_insert_with(|| SatisfactionRollup {
            day,
            delayed: r.delayed,
            warned: r.warned,
            carrier: r.carrier,
            channels: r.channels,
            ratings: 0,
            score_sum: 0,
            scores: vec![0; 5],
        });
        row.ratings += 1;
        row.score_sum += r.score;
        if let Some(slot) = usize::try_from(r.score - 1).ok().and_then(|i| row.scores.get_mut(i)) {
            *slot += 1;
        }
    }
    Ok(rows.into_values().collect())
}

/// Recomputes `day` inside the caller's transaction.
pub async fn recompute(conn: &mut AsyncPgConnection, day: NaiveDate) -> QueryResult<usize> {
    let rows = compute(conn, day).await?;
    diesel::delete(satisfaction_rollups::table.filter(satisfaction_rollups::day.eq(day))).execute(conn).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(satisfaction_rollups::table).values(&rows).execute(conn).await
}
