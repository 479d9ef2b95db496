//! The maintenance queue's handler: dispatches on the job kind. A recurring
//! job of the registry (`ordertrack_shared::jobs::recurring`) has its arm here.

use apalis::prelude::{BoxDynError, Data};
use ordertrack_shared::jobs::{MaintenanceJob, Queue};

use super::detect_delays::detect_delays;
use super::enqueue_polls::enqueue_polls;
use super::instrumented;
use super::prune_order_events::prune_order_events;
use super::roll_up::{recompute_analytics, roll_up_analytics};
use super::simulate_carriers::simulate_carriers;
use super::sweep_outbox::sweep;
use super::vacuum::vacuum;
use crate::context::{JobContext, SharedContext};

pub async fn maintenance(job: MaintenanceJob, ctx: Data<SharedContext>, queue: Data<Queue>) -> Result<(), BoxDynError> {
    let span = tracing::info_span!("maintenance", job = job.name());
    let (ctx, name) = (SharedContext::clone(&ctx), job.name());
    let work = {
        let ctx = ctx.clone();
        async move { run(&ctx, &job).await.map(|()| "ok") }
    };
    instrumented(&ctx, *queue, name, span, work).await
}

async fn run(ctx: &JobContext, job: &MaintenanceJob) -> Result<(), BoxDynError> {
    match job {
        MaintenanceJob::SweepOutbox { tick } => {
            let swept = sweep(ctx).await?;
            if swept > 0 {
                tracing::info!(tick, swept, "outbox sweep re-enqueued work");
            }
        }
        MaintenanceJob::EnqueuePolls { .. } => {
            enqueue_polls(ctx).await?;
        }
        MaintenanceJob::DetectDelays { .. } => {
            let found = detect_delays(ctx).await?;
            if found > 0 {
                tracing::info!(found, "delays detected");
            }
        }
        MaintenanceJob::SimulateCarriers { .. } => {
            simulate_carriers(ctx).await?;
        }
        MaintenanceJob::Vacuum { .. } => {
            let (jobs, keys) = vacuum(ctx).await?;
            tracing::info!(jobs, keys, "vacuum");
        }
        MaintenanceJob::PruneOrderEvents { .. } => {
            let pruned = prune_order_events(ctx).await?;
            tracing::info!(pruned.events, pruned.tickets, pruned.portal, "pruned order events");
        }
        MaintenanceJob::RollUpAnalytics { .. } => {
            let run = roll_up_analytics(ctx).await?;
            tracing::debug!(hours = run.hours.len(), days = run.days.len(), "analytics rolled up");
        }
        MaintenanceJob::RecomputeAnalytics { .. } => {
            let run = recompute_analytics(ctx).await?;
            tracing::info!(hours = run.hours.len(), days = run.days.len(), "analytics recomputed");
        }
        MaintenanceJob::Ping { .. } => {}
    }
    Ok(())
}
