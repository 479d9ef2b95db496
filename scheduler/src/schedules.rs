//! The recurring jobs and what each tick enqueues.

use std::str::FromStr;
use std::sync::Arc;

use apalis::prelude::{BoxDynError, Data};
use apalis_cron::Tick;
use ordertrack_shared::jobs::{Enqueuer, MaintenanceJob, Queue};
use ordertrack_shared::metrics::SCHEDULER_TICKS;

use crate::lease::TickLease;

pub fn parse(expression: &str) -> Result<cron::Schedule, cron::error::Error> {
    cron::Schedule::from_str(expression)
}

pub struct SchedulerContext {
    pub enqueuer: Enqueuer,
    pub lease: TickLease,
}

pub type SharedContext = Arc<SchedulerContext>;

/// Outbox sweep: re-enqueue notifications whose job was lost.
pub async fn sweep_outbox_tick(tick: Tick, ctx: Data<SharedContext>) -> Result<(), BoxDynError> {
    let at = tick.get_timestamp();
    if !ctx.lease.claim("sweep_outbox", at).await? {
        SCHEDULER_TICKS.with_label_values(&["sweep_outbox", "lost"]).inc();
        return Ok(());
    }
    SCHEDULER_TICKS.with_label_values(&["sweep_outbox", "won"]).inc();
    ctx.enqueuer.push(Queue::Maintenance, MaintenanceJob::SweepOutbox { tick: at as i64 }, None).await?;
    Ok(())
}
