//! Exactly one scheduler handles each tick. Every scheduler wakes on the same
//! cron tick; each tries `SET key NX` on a key named after the schedule and
//! the tick's timestamp, and only the one that sets it enqueues. Unlike a
//! single leader lease, there is no hand-over window in which two leaders
//! (or none) act.

use std::time::Duration;

use apalis::prelude::BoxDynError;
use ordertrack_shared::jobs::Enqueuer;

#[derive(Clone)]
pub struct TickLease {
    redis: Enqueuer,
    ttl: Duration,
    instance: String,
}

impl TickLease {
    pub fn new(redis: Enqueuer, ttl: Duration, instance: String) -> Self {
        TickLease { redis, ttl, instance }
    }

    /// True if this instance won the tick.
    pub async fn claim(&self, schedule: &str, tick: u64) -> Result<bool, BoxDynError> {
        let key = format!("{}:scheduler:{schedule}:{tick}", self.redis.namespace());
        let mut conn = self.redis.connection().await?;
        let won: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(&self.instance)
            .arg("NX")
            .arg("PX")
            .arg(self.ttl.as_millis() as u64)
            .query_async(&mut conn)
            .await?;
        Ok(won.is_some())
    }
}
