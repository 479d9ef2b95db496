//! What each tick does: win the tick's lease, then enqueue the registry
//! entry's job.

use std::str::FromStr;
use std::sync::Arc;

use apalis::prelude::{BoxDynError, Data};
use apalis_cron::Tick;
use ordertrack_shared::jobs::recurring::Recurring;
use ordertrack_shared::jobs::{Enqueuer, Queue};
use ordertrack_shared::metrics::SCHEDULER_TICKS;

use crate::lease::TickLease;

pub fn parse(expression: &str) -> Result<cron::Schedule, cron::error::Error> {
    cron::Schedule::from_str(expression)
}

/// The registry entry a cron worker ticks for (apalis `Data` wants an owned,
/// lifetime-free value).
#[derive(Clone, Copy)]
pub struct Scheduled(pub &'static Recurring);

pub struct SchedulerContext {
    pub enqueuer: Enqueuer,
    pub lease: TickLease,
}

pub type SharedContext = Arc<SchedulerContext>;

/// Every scheduler wakes on the tick; the one that wins the tick's lease
/// enqueues the job.
pub async fn on_tick(tick: Tick, ctx: Data<SharedContext>, scheduled: Data<Scheduled>) -> Result<(), BoxDynError> {
    let Scheduled(recurring) = *scheduled;
    let at = tick.get_timestamp();
    if !ctx.lease.claim(recurring.name, at).await? {
        SCHEDULER_TICKS.with_label_values(&[recurring.name, "lost"]).inc();
        return Ok(());
    }
    SCHEDULER_TICKS.with_label_values(&[recurring.name, "won"]).inc();
    ctx.enqueuer.push(Queue::Maintenance, (recurring.job)(at as i64), None).await?;
    Ok(())
}
