//! The API's rate limits (per token, per client IP) on the shared Redis
//! counter; allowed when Redis is unreachable or limits are switched off.
//!
//! A key found over its limit is also remembered by this replica until its
//! window ends ([`RateLimiter::refused_for`]), so a flood is refused without a
//! Redis round trip or a database lookup per request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ordertrack_shared::jobs::Enqueuer;
pub use ordertrack_shared::rate_limit::RateState;

use crate::errors::ApiError;

/// Remembered refusals beyond which expired ones are swept out.
const REMEMBERED_REFUSALS: usize = 10_000;

#[derive(Clone)]
pub struct RateLimiter {
    redis: Enqueuer,
    enabled: bool,
    /// (scope, key) -> end of the window in which it went over its limit.
    refused: Arc<Mutex<HashMap<(String, String), Instant>>>,
}

impl RateLimiter {
    pub fn new(redis: Enqueuer, enabled: bool) -> Self {
        RateLimiter { redis, enabled, refused: Arc::default() }
    }

    /// The same limiter (and remembered refusals) counting through `redis`.
    pub fn with_redis(&self, redis: Enqueuer) -> Self {
        RateLimiter { redis, ..self.clone() }
    }

    /// Counts one hit for `key`; `None` when off or Redis did not answer.
    /// A hit over the limit is remembered until the window ends.
    pub async fn hit(&self, scope: &str, key: &str, limit: u32, window_secs: u64) -> Option<(RateState, bool)> {
        if !self.enabled {
            return None;
        }
        let hit = ordertrack_shared::rate_limit::hit(&self.redis, scope, key, limit, window_secs).await;
        if let Some((state, true)) = hit {
            self.remember(scope, key, state.reset);
        }
        hit
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

    /// Seconds until `key`'s window ends, if this replica saw it go over its
    /// limit in the current window.
    pub fn refused_for(&self, scope: &str, key: &str) -> Option<u64> {
        if !self.enabled {
            return None;
        }
        let refused = self.refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let until = *refused.get(&(scope.to_owned(), key.to_owned()))?;
        let left = until.checked_duration_since(Instant::now())?;
        Some(left.as_secs().max(1))
    }

    fn remember(&self, scope: &str, key: &str, reset_secs: u64) {
        let now = Instant::now();
        let mut refused = self.refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if refused.len() >= REMEMBERED_REFUSALS {
            refused.retain(|_, until| *until > now);
        }
        refused.insert((scope.to_owned(), key.to_owned()), now + Duration::from_secs(reset_secs));
    }
}
