//! Asks a carrier's API about a batch of parcels, within a per-carrier rate
//! limit shared by every worker, and schedules each parcel's next poll.

use std::time::Duration;

use apalis::prelude::{BoxDynError, Data};
use chrono::Utc;
use ordertrack_shared::carriers::polling::{next_poll_in, poll_backoff};
use ordertrack_shared::carriers::tracking::{apply_update, UpdateSource};
use ordertrack_shared::carriers::{CarrierError, TrackingStatus};
use ordertrack_shared::db;
use ordertrack_shared::jobs::{Job, PollCarrier, Queue};
use ordertrack_shared::models::Shipment;
use ordertrack_shared::rate_limit;

use super::instrumented;
use crate::context::{JobContext, SharedContext};

pub async fn poll_carrier(job: PollCarrier, ctx: Data<SharedContext>, queue: Data<Queue>) -> Result<(), BoxDynError> {
    let span = tracing::info_span!("poll_carrier", carrier = %job.carrier);
    let ctx = SharedContext::clone(&ctx);
    let work = {
        let ctx = ctx.clone();
        async move { poll(&ctx, &job).await.map(|()| "ok") }
    };
    instrumented(&ctx, *queue, PollCarrier::NAME, span, work).await
}

/// Takes one of the carrier's calls for this minute; `false` when spent.
/// Without an answer from Redis the call goes ahead.
async fn take_rate_slot(ctx: &JobContext, carrier: &str) -> bool {
    let limit = ctx.config.carrier_rate_per_minute;
    !matches!(rate_limit::hit(&ctx.enqueuer, "carrier", carrier, limit, 60).await, Some((_, true)))
}

async fn poll(ctx: &JobContext, job: &PollCarrier) -> Result<(), BoxDynError> {
    let Some(client) = ctx.carriers.get(&job.carrier) else {
        tracing::warn!(carrier = %job.carrier, "no API credentials for this carrier; poll dropped");
        return Ok(());
    };
    if !take_rate_slot(ctx, job.carrier.as_str()).await {
        // Over the carrier's budget: try again next minute.
        let wait = Duration::from_secs(60 - (Utc::now().timestamp() % 60) as u64 + 1);
        ctx.enqueuer.push(Queue::CarrierPolls, job.clone(), Some(wait)).await?;
        return Ok(());
    }
    let mut conn = ctx.db.get().await?;
    let parcels = Shipment::by_ids(&mut conn, &job.shipment_ids).await?;
    let numbers: Vec<String> = parcels.iter().map(|s| s.tracking_number.clone()).collect();
    match client.track(&numbers).await {
        Ok(updates) => {
            db::begin(&mut conn).await?;
            let result = async {
                let mut notifications = Vec::new();
                for update in &updates {
                    notifications
                        .extend(apply_update(&mut conn, update, UpdateSource::Poll, None).await?.notifications);
                }
                Ok::<_, BoxDynError>(notifications)
            }
            .await;
            let notifications = db::finish(&mut conn, result).await?;
            schedule_next(&mut conn, &job.shipment_ids).await?;
            drop(conn);
            ctx.enqueuer.after_commit(&notifications).await;
            Ok(())
        }
        Err(error) => {
            let wait = match &error {
                CarrierError::RateLimited { retry_after: Some(after) } => *after,
                _ => poll_backoff(parcels.iter().map(|p| p.poll_failures).max().unwrap_or(0)),
            };
            tracing::warn!(carrier = %job.carrier, %error, ?wait, "carrier poll failed; backing off");
            let next = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            Shipment::back_off(&mut conn, &job.shipment_ids, next).await?;
            Ok(())
        }
    }
}

/// Sets each parcel's next poll from its (new) state.
async fn schedule_next(conn: &mut diesel_async::AsyncPgConnection, ids: &[uuid::Uuid]) -> Result<(), BoxDynError> {
    let now = Utc::now();
    let parcels = Shipment::by_ids(conn, ids).await?;
    for parcel in parcels {
        let status: TrackingStatus = parcel.tracking_status.parse().unwrap_or(TrackingStatus::Unknown);
        let last_news = parcel.last_event_at.unwrap_or(parcel.created_at);
        let next = match next_poll_in(status, last_news, parcel.last_webhook_at, now) {
            Some(wait) => now + chrono::Duration::from_std(wait).unwrap_or_default(),
            // Final or abandoned: park it far away (the due-scan skips finals).
            None => now + chrono::Duration::days(3650),
        };
        Shipment::schedule_poll(conn, parcel.id, next).await?;
    }
    Ok(())
}
