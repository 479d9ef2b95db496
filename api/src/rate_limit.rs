//! Fixed-window rate limits kept in Redis, so every api replica shares them.
//! If Redis is unreachable the request is allowed: losing the limiter must
//! not take the API down with it.

use ordertrack_shared::jobs::Enqueuer;

use crate::errors::ApiError;

#[derive(Clone)]
pub struct RateLimiter {
    redis: Enqueuer,
    enabled: bool,
}

/// Where a caller stands in the current window (for `RateLimit-*` headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateState {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset: u64,
}

impl RateState {
    pub fn exceeded(&self, used: u64) -> bool {
        used > u64::from(self.limit)
    }
}

impl RateLimiter {
    pub fn new(redis: Enqueuer, enabled: bool) -> Self {
        RateLimiter { redis, enabled }
    }

    /// Counts one hit for `key`; `None` when Redis did not answer in time.
    pub async fn hit(&self, scope: &str, key: &str, limit: u32, window_secs: u64) -> Option<(RateState, bool)> {
        if !self.enabled {
            return None;
        }
        let now = chrono::Utc::now().timestamp() as u64;
        let window = now / window_secs;
        let redis_key = format!("{}:ratelimit:{scope}:{key}:{window}", self.redis.namespace());
        let count = async {
            let mut conn = self.redis.connection().await.ok()?;
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
        let count = tokio::time::timeout(std::time::Duration::from_millis(250), count).await.ok().flatten();
        let Some(count) = count else {
            tracing::warn!(scope, "rate limiter unavailable, allowing request");
            return None;
        };
        let reset = ((window + 1) * window_secs).saturating_sub(now).max(1);
        let remaining = u64::from(limit).saturating_sub(count) as u32;
        let state = RateState { limit, remaining, reset };
        Some((state, state.exceeded(count)))
    }

    /// Counts one hit; refuses past `limit` per `window_secs`.
    pub async fn check(&self, scope: &str, key: &str, limit: u32, window_secs: u64) -> Result<(), ApiError> {
        match self.hit(scope, key, limit, window_secs).await {
            Some((state, true)) => {
                tracing::info!(scope, "rate limit hit");
                Err(ApiError::TooManyRequests { retry_after: state.reset, limit })
            }
            _ => Ok(()),
        }
    }
}
