//! Running the roll-ups: every minute from a watermark (the current and
//! previous hour, and any hour or day a late event or a changed rating
//! touched), and nightly over the last 48 hours for whatever arrived later
//! still. Hours are recomputed before days (a day's message totals are the
//! sum of its hours). Each bucket is recomputed whole in its own transaction, under an
//! advisory lock so two workers never write one bucket at once.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::{rollup_notifications, rollup_orders, rollup_satisfaction};
use crate::schema::rollup_watermarks;

/// The watermark over `notification_events.recorded_at`.
const WATERMARK: &str = "notification_events";

/// Re-read behind the watermark: a transaction that started before it (its
/// rows carry its start time) may commit after it.
const OVERLAP: Duration = Duration::minutes(5);

/// An advisory-lock key of its own: one bucket writer at a time.
const ROLLUP_LOCK: i64 = 0x726f_6c6c_7570_7331; // "rollups1"

/// What a run recomputed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollupRun {
    pub hours: Vec<DateTime<Utc>>,
    pub days: Vec<NaiveDate>,
}

/// The UTC bounds of `day`.
pub fn day_bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    (start, start + Duration::days(1))
}

/// The start of the hour `at` falls in.
pub fn hour_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::hours(1)).unwrap_or(at)
}

/// The hours of the events recorded since $1, and of the other events of
/// the same message and kind (whose "first" a late one may take).
pub const LATE_HOURS: &str = "SELECT DISTINCT date_trunc('hour', e2.occurred_at, 'UTC') AS hour
   FROM notification_events e
   JOIN notification_events e2 ON e2.notification_id = e.notification_id AND e2.kind = e.kind
  WHERE e.recorded_at > $1";

/// The days of the ratings given or changed since $1.
pub const RATED_DAYS: &str =
    "SELECT DISTINCT (rated_at AT TIME ZONE 'UTC')::date AS day FROM order_ratings WHERE updated_at > $1";

#[derive(QueryableByName)]
struct Hour {
    #[diesel(sql_type = Timestamptz)]
    hour: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Day {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
}

/// The minute's run: what changed since the watermark, then the watermark
/// moves to `now`.
pub async fn run_incremental(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<RollupRun> {
    let since = watermark(conn).await?.unwrap_or(now - Duration::hours(2)) - OVERLAP;
    let mut hours = BTreeSet::from([hour_of(now) - Duration::hours(1), hour_of(now)]);
    // Late events, and the later events of the same message and kind whose
    // "first" they may have taken.
    let late: Vec<Hour> = diesel::sql_query(LATE_HOURS).bind::<Timestamptz, _>(since).load(conn).await?;
    hours.extend(late.into_iter().map(|h| h.hour));
    let today = now.date_naive();
    let mut days = BTreeSet::from([today - Duration::days(1), today]);
    let rated: Vec<Day> = diesel::sql_query(RATED_DAYS).bind::<Timestamptz, _>(since).load(conn).await?;
    days.extend(rated.into_iter().map(|d| d.day));
    // A day's message totals are its hours': each hour recomputed redoes its day.
    days.extend(hours.iter().map(|h| h.date_naive()));
    let run = recompute(conn, hours, days).await?;
    set_watermark(conn, now).await?;
    Ok(run)
}

/// The nightly run: every hour and day of the `window` before `now`.
pub async fn recompute_recent(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    window: Duration,
) -> QueryResult<RollupRun> {
    let first = hour_of(now - window);
    let hours = (0..=window.num_hours()).map(|i| first + Duration::hours(i)).filter(|h| *h <= now);
    let days = (0..=window.num_days() + 1).map(|i| now.date_naive() - Duration::days(i));
    recompute(conn, hours.collect(), days.collect()).await
}

/// Recomputes each of `hours` and `days`, one transaction each.
pub async fn recompute(
    conn: &mut AsyncPgConnection,
    hours: BTreeSet<DateTime<Utc>>,
    days: BTreeSet<NaiveDate>,
) -> QueryResult<RollupRun> {
    for hour in &hours {
        let hour = *hour;
        conn.transaction(async |conn| {
            lock(conn).await?;
            rollup_notifications::recompute(conn, hour).await
        })
        .await?;
    }
    for day in &days {
        let day = *day;
        conn.transaction(async |conn| {
            lock(conn).await?;
            rollup_notifications::recompute_day(conn, day).await?;
            rollup_orders::recompute(conn, day).await?;
            rollup_satisfaction::recompute(conn, day).await
        })
        .await?;
    }
    Ok(RollupRun { hours: hours.into_iter().collect(), days: days.into_iter().collect() })
}

async fn lock(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(ROLLUP_LOCK).execute(conn).await
}

/// How far the incremental run has read.
pub async fn watermark(conn: &mut AsyncPgConnection) -> QueryResult<Option<DateTime<Utc>>> {
    rollup_watermarks::table.find(WATERMARK).select(rollup_watermarks::through).first(conn).await.optional()
}

async fn set_watermark(conn: &mut AsyncPgConnection, through: DateTime<Utc>) -> QueryResult<usize> {
    diesel::insert_into(rollup_watermarks::table)
        .values((rollup_watermarks::name.eq(WATERMARK), rollup_watermarks::through.eq(through)))
        .on_conflict(rollup_watermarks::name)
        .do_update()
        .set((rollup_watermarks::through.eq(through), rollup_watermarks::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn buckets_are_utc_hours_and_days() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 10, 59, 59).unwrap();
        assert_eq!(hour_of(at), Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap());
        let (from, to) = day_bounds(at.date_naive());
        assert_eq!((from, to - from), (Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(), Duration::days(1)));
    }
}
