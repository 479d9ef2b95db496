//! The outbox's slow path: re-enqueue notifications whose job was lost (Redis
//! down at commit, a crash between commit and push) or whose worker died.

use apalis::prelude::BoxDynError;
use ordertrack_shared::db;
use ordertrack_shared::jobs::{ProcessCarrierReceipt, Queue, SendNotification};
use ordertrack_shared::metrics::OUTBOX_SWEPT;
use ordertrack_shared::models::{CarrierReceipt, Notification};

use crate::context::JobContext;

/// Returns how many notifications were re-enqueued.
pub async fn sweep(ctx: &JobContext) -> Result<usize, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let (grace, batch) = (ctx.config.sweep_grace, ctx.config.sweep_batch);
    db::begin(&mut conn).await?;
    let result = Notification::sweep_overdue(&mut conn, grace, ctx.config.claim_lease, batch).await;
    let due = db::finish(&mut conn, result).await?;
    drop(conn);
    for n in &due {
        // A failure leaves the row pending; the next sweep tries again.
        let _ = ctx.enqueuer.push(n.queue, SendNotification { notification_id: n.id }, None).await;
    }
    // Webhook receipts whose processing job was lost.
    let mut conn = ctx.db.get().await?;
    let receipts = CarrierReceipt::overdue(&mut conn, grace, batch).await?;
    drop(conn);
    for receipt_id in &receipts {
        let _ = ctx.enqueuer.push(Queue::CarrierEvents, ProcessCarrierReceipt { receipt_id: *receipt_id }, None).await;
    }
    let swept = due.len() + receipts.len();
    OUTBOX_SWEPT.inc_by(swept as u64);
    Ok(swept)
}
