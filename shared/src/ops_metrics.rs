//! Operators' gauges read from the stores: queue depths (Redis), the outbox,
//! dead letters and the analytics roll-up's lag (Postgres). Every api and
//! worker refreshes them on a timer, so a scrape of `/metrics` costs no
//! query, and what one process cannot read leaves the last known value.

use std::time::Duration;

use diesel::sql_types::{BigInt, Nullable};
use diesel_async::RunQueryDsl;
use tokio::sync::watch;

use crate::db::DbPool;
use crate::jobs::enqueue::Enqueuer;
use crate::jobs::queue_state;
use crate::jobs::Queue;
use crate::metrics::{DEAD_LETTERED, OLDEST_PENDING, OUTBOX_PENDING, QUEUE_JOBS, ROLLUP_LAG};

#[derive(diesel::QueryableByName)]
struct Outbox {
    #[diesel(sql_type = BigInt)]
    pending: i64,
    #[diesel(sql_type = BigInt)]
    failed: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    overdue_secs: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    rollup_lag_secs: Option<i64>,
}

/// Each count is read through its partial index (`notifications_pending_idx`,
/// `notifications_failed_idx`). Pending counts the rows being sent; overdue
/// does not (a claimed row's due time is when it became due, not late).
const OUTBOX: &str = "
SELECT (SELECT count(*) FROM notifications WHERE status = 'pending') AS pending,
       (SELECT count(*) FROM notifications WHERE status = 'failed') AS failed,
       (SELECT extract(epoch FROM now() - min(next_attempt_at))::int8 FROM notifications
         WHERE status = 'pending' AND next_attempt_at <= now() AND locked_until IS NULL) AS overdue_secs,
       (SELECT extract(epoch FROM now() - through)::int8 FROM rollup_watermarks
         WHERE name = 'notification_events') AS rollup_lag_secs";

/// Reads the stores once and sets the gauges.
pub async fn refresh(db: &DbPool, enqueuer: &Enqueuer) {
    match enqueuer.connection().await {
        Ok(mut conn) => match queue_state::snapshot(&mut conn, enqueuer.namespace(), Queue::ALL).await {
            Ok(states) => {
                for (queue, state) in states {
                    let set = |name: &str, n: u64| {
                        QUEUE_JOBS.with_label_values(&[queue.as_str(), name]).set(i64::try_from(n).unwrap_or(i64::MAX))
                    };
                    set("waiting", state.waiting());
                    set("scheduled", state.later);
                    set("in_flight", state.in_flight);
                    set("dead", state.dead);
                }
            }
            Err(e) => tracing::debug!(error = %e, "queue gauges not refreshed"),
        },
        Err(e) => tracing::debug!(error = %e, "queue gauges not refreshed"),
    }
    let outbox = async {
        let mut conn = db.get().await.map_err(|e| e.to_string())?;
        diesel::sql_query(OUTBOX).get_result::<Outbox>(&mut conn).await.map_err(|e| e.to_string())
    };
    match outbox.await {
        Ok(o) => {
            OUTBOX_PENDING.set(o.pending);
            DEAD_LETTERED.set(o.failed);
            OLDEST_PENDING.set(o.overdue_secs.unwrap_or(0).max(0));
            ROLLUP_LAG.set(o.rollup_lag_secs.unwrap_or(0).max(0));
        }
        Err(error) => tracing::debug!(%error, "outbox gauges not refreshed"),
    }
}

/// Refreshes the gauges every `interval` until `shutdown` turns true.
pub fn spawn(db: DbPool, enqueuer: Enqueuer, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => refresh(&db, &enqueuer).await,
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    });
}
