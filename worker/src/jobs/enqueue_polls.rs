//! Finds parcels due for a poll and queues them in per-carrier batches. Each
//! is pushed back by a lease first, so a slow queue does not poll it twice.

use apalis::prelude::BoxDynError;
use chrono::Utc;
use ordertrack_shared::db;
use ordertrack_shared::jobs::{PollCarrier, Queue};
use ordertrack_shared::models::Shipment;

use crate::context::JobContext;

pub async fn enqueue_polls(ctx: &JobContext) -> Result<usize, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let now = Utc::now();
    let lease = now + chrono::Duration::minutes(10);
    let mut queued = 0;
    for (&carrier, client) in &ctx.carriers {
        db::begin(&mut conn).await?;
        let result = Shipment::lease_due(&mut conn, carrier, now, ctx.config.poll_batch_limit, lease).await;
        let due = db::finish(&mut conn, result).await?;
        for batch in due.chunks(client.batch_size().max(1)) {
            let job = PollCarrier { carrier, shipment_ids: batch.to_vec() };
            ctx.enqueuer.push(Queue::CarrierPolls, job, None).await?;
            queued += 1;
        }
        if !due.is_empty() {
            tracing::info!(%carrier, parcels = due.len(), "polls queued");
        }
    }
    Ok(queued)
}
