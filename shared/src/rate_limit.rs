//! Fixed-window counters in Redis, shared by every process that counts the
//! same key (api replicas, workers). If Redis does not answer in time the
//! caller is told nothing (`None`) and decides; losing the limiter must not
//! stop the platform.

use std::time::Duration;

use crate::jobs::Enqueuer;

/// Where a caller stands in the current window (for `RateLimit-*` headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateState {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset: u64,
}

/// Counts one hit for `scope`/`key` in the current window; returns the state
/// and whether this hit went over `limit`.
pub async fn hit(redis: &Enqueuer, scope: &str, key: &str, limit: u32, window_secs: u64) -> Option<(RateState, bool)> {
    let now = chrono::Utc::now().timestamp() as u64;
    let window = now / window_secs;
    let redis_key = format!("{}:ratelimit:{scope}:{key}:{window}", redis.namespace());
    let count = async {
        let mut conn = redis.connection().await.ok()?;
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .incr(&redis_key, 1)
            .expire(&redis_key, window_secs as i64 + 1)
            .ignore()
            .query_async(&mut conn)
            .await
            .ok()?;
        Some(count)
    };
    let Some(count) = tokio::time::timeout(Duration::from_millis(250), count).await.ok().flatten() else {
        tracing::warn!(scope, "rate limiter unavailable");
        return None;
    };
    let reset = ((window + 1) * window_secs).saturating_sub(now).max(1);
    let remaining = u64::from(limit).saturating_sub(count) as u32;
    Some((RateState { limit, remaining, reset }, count > u64::from(limit)))
}

/// Counts one occurrence of `scope`/`key` in the current window; returns the
/// count so far in this window and the previous window's total (these
/// counters live for two windows). `None` when Redis does not answer in time.
pub async fn count_with_previous(redis: &Enqueuer, scope: &str, key: &str, window_secs: u64) -> Option<(u64, u64)> {
    let window = chrono::Utc::now().timestamp() as u64 / window_secs;
    // One hash tag for both windows' keys: a Redis Cluster runs a pipeline
    // only within one slot.
    let key_of = |window: u64| format!("{}:ratelimit:{{{scope}:{key}}}:{window}", redis.namespace());
    let (current_key, previous_key) = (key_of(window), key_of(window.saturating_sub(1)));
    let counts = async {
        let mut conn = redis.connection().await.ok()?;
        let (current, previous): (u64, Option<u64>) = redis::pipe()
            .atomic()
            .incr(&current_key, 1)
            .expire(&current_key, 2 * window_secs as i64 + 1)
            .ignore()
            .get(&previous_key)
            .query_async(&mut conn)
            .await
            .ok()?;
        Some((current, previous.unwrap_or(0)))
    };
    let counts = tokio::time::timeout(Duration::from_millis(250), counts).await.ok().flatten();
    if counts.is_none() {
        tracing::warn!(scope, "window counter unavailable");
    }
    counts
}
