use ordertrack_shared::cache::Invalidation;
use ordertrack_shared::db::{DbConn, DbPool};
use ordertrack_shared::jobs::Enqueuer;
use ordertrack_shared::links::Signer;

use crate::config::ApiConfig;
use crate::errors::ApiError;
use crate::rate_limit::RateLimiter;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: ApiConfig,
    pub db: DbPool,
    pub enqueuer: Enqueuer,
    pub rate_limiter: RateLimiter,
    pub signer: Signer,
    /// Message templates (the files; stored versions override them).
    pub renderer: std::sync::Arc<ordertrack_shared::templates::Renderer>,
    /// This replica's live-update clients.
    pub hub: std::sync::Arc<crate::live::hub::Hub>,
    /// The workflow and preferences, kept while this replica hears their
    /// invalidations (`ordertrack_shared::cache`).
    pub caches: std::sync::Arc<ordertrack_shared::cache::Caches>,
}

impl AppState {
    /// This state for one of `workers` HTTP worker threads: its own database
    /// pool (a share of the configured size) and Redis connection. diesel-async
    /// and redis drive each connection from a task on the thread that opened
    /// it, so a pool shared by the threads wakes a second thread, and switches
    /// context twice, for every statement. Everything else stays shared.
    pub fn for_worker_thread(&self, workers: usize) -> AppState {
        let size = self.config.store.database_pool_size.div_ceil(workers.max(1));
        // (Building a pool only fails for a bad configuration, which
        // building `self.db` already ruled out.)
        let db = ordertrack_shared::db::pool(&self.config.store.database_url, size).unwrap_or_else(|_| self.db.clone());
        let enqueuer = self.enqueuer.with_own_connection();
        AppState { db, rate_limiter: self.rate_limiter.with_redis(enqueuer.clone()), enqueuer, ..self.clone() }
    }

    pub async fn conn(&self) -> Result<DbConn, ApiError> {
        Ok(self.db.get().await?)
    }

    /// After a committed change to cached data: this replica forgets it at
    /// once (its next read sees the change even before, or without, Redis
    /// delivering the announcement), and every replica is told.
    pub async fn announce_change(&self, what: Invalidation) {
        self.caches.apply(Some(what));
        self.enqueuer.announce_change(what).await;
    }
}
