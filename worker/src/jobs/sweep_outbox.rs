//! The outbox's slow path: re-enqueue notifications whose job was lost (Redis
//! down at commit, a crash between commit and push) or whose worker died.

use apalis::prelude::{BoxDynError, Data};
use ordertrack_shared::db;
use ordertrack_shared::jobs::{Job, Queue, SendNotification, SweepOutbox};
use ordertrack_shared::metrics::{JOBS_PROCESSED, JOB_DURATION};
use ordertrack_shared::models::Notification;

use crate::context::{JobContext, SharedContext};

pub async fn sweep_outbox(job: SweepOutbox, ctx: Data<SharedContext>, queue: Data<Queue>) -> Result<(), BoxDynError> {
    let labels = [queue.as_str(), SweepOutbox::NAME];
    let timer = JOB_DURATION.with_label_values(&labels).start_timer();
    let result = sweep(&ctx).await;
    timer.observe_duration();
    JOBS_PROCESSED.with_label_values(&[labels[0], labels[1], if result.is_ok() { "ok" } else { "error" }]).inc();
    let swept = result?;
    if swept > 0 {
        tracing::info!(tick = job.tick, swept, "outbox sweep re-enqueued notifications");
    }
    Ok(())
}

/// Returns how many notifications were re-enqueued.
pub async fn sweep(ctx: &JobContext) -> Result<usize, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let (grace, batch) = (ctx.config.sweep_grace, ctx.config.sweep_batch);
    db::begin(&mut conn).await?;
    let result = Notification::sweep_overdue(&mut conn, grace, batch).await;
    let due = db::finish(&mut conn, result).await?;
    drop(conn);
    for n in &due {
        // A failure leaves the row pending; the next sweep tries again.
        let _ = ctx.enqueuer.push(n.queue, SendNotification { notification_id: n.id }, None).await;
    }
    Ok(due.len())
}
