//! Housekeeping: apalis-redis keeps every finished job's data, metadata and a
//! "done" entry forever, and idempotency keys only matter for a day. Redis
//! is transport, so nothing here is history anyone needs.

use apalis::prelude::BoxDynError;
use apalis_core::backend::Vacuum;
use apalis_redis::{Config as RedisQueueConfig, RedisStorage};
use chrono::Utc;
use ordertrack_shared::jobs::Queue;
use ordertrack_shared::models::IdempotentResponse;

use crate::context::JobContext;

/// Returns (Redis jobs removed, idempotency keys removed).
pub async fn vacuum(ctx: &JobContext) -> Result<(usize, usize), BoxDynError> {
    let conn = ctx.enqueuer.connection().await?;
    let mut removed = 0;
    for queue in Queue::ALL {
        let config = RedisQueueConfig::default().queue(queue.redis_name(ctx.enqueuer.namespace()));
        let mut storage: RedisStorage<(), _> = RedisStorage::new(conn.clone()).with_config(config.clone());
        removed += storage.vacuum().await?;
        // The done and dead sets are plain sets of ids whose data the vacuum
        // just removed; a job finishing meanwhile keeps its data until the
        // next vacuum. Dead letters are kept in Postgres, not here.
        let mut redis = conn.clone();
        let _: () = redis::pipe()
            .del(config.done_jobs_set())
            .ignore()
            .del(config.dead_jobs_set())
            .ignore()
            .query_async(&mut redis)
            .await?;
    }
    let mut db = ctx.db.get().await?;
    let cutoff =
        Utc::now() - chrono::Duration::from_std(ctx.config.idempotency_ttl).unwrap_or(chrono::Duration::days(1));
    let keys = IdempotentResponse::delete_created_before(&mut db, cutoff).await?;
    Ok((removed, keys))
}
