//! The maintenance queue's handler: dispatches on the job kind.

use apalis::prelude::{BoxDynError, Data};
use ordertrack_shared::jobs::{MaintenanceJob, Queue};
use ordertrack_shared::metrics::{JOBS_PROCESSED, JOB_DURATION};

use super::detect_delays::detect_delays;
use super::enqueue_polls::enqueue_polls;
use super::simulate_carriers::simulate_carriers;
use super::sweep_outbox::sweep;
use super::vacuum::vacuum;
use crate::context::SharedContext;

pub async fn maintenance(job: MaintenanceJob, ctx: Data<SharedContext>, queue: Data<Queue>) -> Result<(), BoxDynError> {
    let labels = [queue.as_str(), job.name()];
    let timer = JOB_DURATION.with_label_values(&labels).start_timer();
    let result = match &job {
        MaintenanceJob::SweepOutbox { tick } => sweep(&ctx).await.map(|swept| {
            if swept > 0 {
                tracing::info!(tick, swept, "outbox sweep re-enqueued notifications");
            }
        }),
        MaintenanceJob::EnqueuePolls { .. } => enqueue_polls(&ctx).await.map(|_| ()),
        MaintenanceJob::DetectDelays { .. } => detect_delays(&ctx).await.map(|found| {
            if found > 0 {
                tracing::info!(found, "delays detected");
            }
        }),
        MaintenanceJob::SimulateCarriers { .. } => simulate_carriers(&ctx).await.map(|_| ()),
        MaintenanceJob::Vacuum { .. } => vacuum(&ctx).await.map(|(jobs, keys)| {
            tracing::info!(jobs, keys, "vacuum");
        }),
        MaintenanceJob::Ping { .. } => Ok(()),
    };
    timer.observe_duration();
    JOBS_PROCESSED.with_label_values(&[labels[0], labels[1], if result.is_ok() { "ok" } else { "error" }]).inc();
    result
}
