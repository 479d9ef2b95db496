//! The API's rate limits (per token, per client IP) on the shared Redis
//! counter; allowed when Redis is unreachable or limits are switched off.

use ordertrack_shared::jobs::Enqueuer;
pub use ordertrack_shared::rate_limit::RateState;

use crate::errors::ApiError;

#[derive(Clone)]
pub struct RateLimiter {
    redis: Enqueuer,
    enabled: bool,
}

impl RateLimiter {
    pub fn new(redis: Enqueuer, enabled: bool) -> Self {
        RateLimiter { redis, enabled }
    }

    /// Counts one hit for `key`; `None` when off or Redis did not answer.
    pub async fn hit(&self, scope: &str, key: &str, limit: u32, window_secs: u64) -> Option<(RateState, bool)> {
        if !self.enabled {
            return None;
        }
        ordertrack_shared::rate_limit::hit(&self.redis, scope, key, limit, window_secs).await
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
