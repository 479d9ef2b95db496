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

/// One recurring job: its name (the lease key) and the job a tick enqueues.
#[derive(Clone, Copy)]
pub struct Schedule {
    pub name: &'static str,
    pub job: fn(i64) -> MaintenanceJob,
}

pub const SWEEP_OUTBOX: Schedule = Schedule { name: "sweep_outbox", job: |tick| MaintenanceJob::SweepOutbox { tick } };
pub const ENQUEUE_POLLS: Schedule =
    Schedule { name: "enqueue_polls", job: |tick| MaintenanceJob::EnqueuePolls { tick } };
pub const DETECT_DELAYS: Schedule =
    Schedule { name: "detect_delays", job: |tick| MaintenanceJob::DetectDelays { tick } };
pub const VACUUM: Schedule = Schedule { name: "vacuum", job: |tick| MaintenanceJob::Vacuum { tick } };
pub const SIMULATE_CARRIERS: Schedule =
    Schedule { name: "simulate_carriers", job: |tick| MaintenanceJob::SimulateCarriers { tick } };

pub struct SchedulerContext {
    pub enqueuer: Enqueuer,
    pub lease: TickLease,
}

pub type SharedContext = Arc<SchedulerContext>;

/// Every scheduler wakes on the tick; the one that wins the tick's lease
/// enqueues the job.
pub async fn on_tick(tick: Tick, ctx: Data<SharedContext>, schedule: Data<Schedule>) -> Result<(), BoxDynError> {
    let at = tick.get_timestamp();
    if !ctx.lease.claim(schedule.name, at).await? {
        SCHEDULER_TICKS.with_label_values(&[schedule.name, "lost"]).inc();
        return Ok(());
    }
    SCHEDULER_TICKS.with_label_values(&[schedule.name, "won"]).inc();
    ctx.enqueuer.push(Queue::Maintenance, (schedule.job)(at as i64), None).await?;
    Ok(())
}
