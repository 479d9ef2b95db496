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
    pub async fn conn(&self) -> Result<DbConn, ApiError> {
        Ok(self.db.get().await?)
    }
}
