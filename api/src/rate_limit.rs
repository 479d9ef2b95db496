//! Fixed-window rate limits kept in Redis, so every api replica shares them.
//! If Redis is unreachable the request is allowed: losing the limiter must
//! not take the public tracking page down with it.

use ordertrack_shared::jobs::Enqueuer;

use crate::errors::ApiError;

#[derive(Clone)]
pub struct RateLimiter {
    redis: Enqueuer,
}

impl RateLimiter {
    pub fn new(redis: Enqueuer) -> Self {
        RateLimiter { redis }
    }

    /// Counts one hit for `key`; refuses past `limit` per `window_secs`.
    pub async fn check(&self, scope: &str, key: &str, limit: u32, window_secs: u64) -> Result<(), ApiError> {
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
        match tokio::time::timeout(std::time::Duration::from_millis(250), count).await {
            Ok(Some(count)) if count > u64::from(limit) => {
                let retry_after = (window + 1) * window_secs - now;
                tracing::info!(scope, "rate limit hit");
                Err(ApiError::TooManyRequests { retry_after: retry_after.max(1), limit })
            }
            Ok(Some(_)) => Ok(()),
            _ => {
                tracing::warn!(scope, "rate limiter unavailable, allowing request");
                Ok(())
            }
        }
    }
}
