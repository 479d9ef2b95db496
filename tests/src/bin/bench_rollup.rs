//! Times the analytics roll-ups on the database `DATABASE_URL` names (the
//! data set `bench/analytics` loads): the minute's incremental run from a
//! watermark one minute old, `RUNS` times; the nightly recompute of 48
//! hours; and the daily message sums of the last `DAYS` days (what turns a
//! year of hourly rows into the daily table the year-long queries read).
//! Prints one `name seconds` line per figure.
//!
//!   DATABASE_URL=... RUNS=5 DAYS=365 bench_rollup
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use ordertrack_shared::analytics::{rollup, rollup_notifications};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() {
    let mut conn = AsyncPgConnection::establish(&env("DATABASE_URL", "")).await.expect("database");
    let runs: usize = env("RUNS", "5").parse().unwrap();
    let days: i64 = env("DAYS", "365").parse().unwrap();
    if days > 0 {
        let clock = Instant::now();
        let today = Utc::now().date_naive();
        for back in 0..days {
            rollup_notifications::recompute_day(&mut conn, today - Duration::days(back)).await.unwrap();
        }
        println!("daily_sums_of_{days}_days {:.3}", clock.elapsed().as_secs_f64());
    }
    for run in 0..runs {
        // As if the previous minute's run had just finished.
        diesel::sql_query(
            "INSERT INTO rollup_watermarks (name, through) VALUES ('notification_events', now() - interval '1 minute')
             ON CONFLICT (name) DO UPDATE SET through = excluded.through",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        let clock = Instant::now();
        let done = rollup::run_incremental(&mut conn, Utc::now()).await.unwrap();
        println!(
            "incremental_minute_{run} {:.3} hours={} days={}",
            clock.elapsed().as_secs_f64(),
            done.hours.len(),
            done.days.len()
        );
    }
    let clock = Instant::now();
    let done = rollup::recompute_recent(&mut conn, Utc::now(), Duration::hours(48)).await.unwrap();
    println!(
        "nightly_48_hours {:.3} hours={} days={}",
        clock.elapsed().as_secs_f64(),
        done.hours.len(),
        done.days.len()
    );
}
