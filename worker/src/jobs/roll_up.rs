//! The analytics roll-ups (`ordertrack_shared::analytics::rollup`): every
//! minute from the watermark, and nightly over the last 48 hours.

use apalis::prelude::BoxDynError;
use chrono::{Duration, Utc};
use ordertrack_shared::analytics::rollup::{self, RollupRun};

use crate::context::JobContext;

/// How far back the nightly run recomputes.
const RECOMPUTE_WINDOW: Duration = Duration::hours(48);

pub async fn roll_up_analytics(ctx: &JobContext) -> Result<RollupRun, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    Ok(rollup::run_incremental(&mut conn, Utc::now()).await?)
}

pub async fn recompute_analytics(ctx: &JobContext) -> Result<RollupRun, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    Ok(rollup::recompute_recent(&mut conn, Utc::now(), RECOMPUTE_WINDOW).await?)
}
