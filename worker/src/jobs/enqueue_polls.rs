//! Finds parcels due for a poll and queues them in per-carrier batches. Each
//! is pushed back by a lease first, so a slow queue does not poll it twice.

use apalis::prelude::BoxDynError;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ordertrack_shared::carriers::polling::GIVE_UP_AFTER;
use ordertrack_shared::db;
use ordertrack_shared::jobs::{PollCarrier, Queue};
use ordertrack_shared::schema::shipments;
use uuid::Uuid;

use crate::context::JobContext;

const FINAL: [&str; 3] = ["delivered", "return_to_sender", "cancelled"];

pub async fn enqueue_polls(ctx: &JobContext) -> Result<usize, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let now = Utc::now();
    let lease = now + chrono::Duration::minutes(10);
    let mut queued = 0;
    for (&carrier, client) in &ctx.carriers {
        db::begin(&mut conn).await?;
        let result = async {
            let due: Vec<Uuid> = shipments::table
                .filter(shipments::carrier.eq(carrier))
                .filter(shipments::next_poll_at.le(now))
                .filter(shipments::tracking_status.ne_all(FINAL))
                .filter(
                    shipments::created_at.gt(now - GIVE_UP_AFTER).or(shipments::last_event_at.gt(now - GIVE_UP_AFTER)),
                )
                .order(shipments::next_poll_at.asc())
                .limit(ctx.config.poll_batch_limit)
                .select(shipments::id)
                .for_update()
                .skip_locked()
                .load(&mut conn)
                .await?;
            diesel::update(shipments::table.filter(shipments::id.eq_any(&due)))
                .set(shipments::next_poll_at.eq(lease))
                .execute(&mut conn)
                .await?;
            Ok::<_, diesel::result::Error>(due)
        }
        .await;
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
