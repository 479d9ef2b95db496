//! Asks a carrier's API about a batch of parcels, within a per-carrier rate
//! limit shared by every worker, and schedules each parcel's next poll.

use std::time::Duration;

use apalis::prelude::{BoxDynError, Data};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ordertrack_shared::carriers::polling::{next_poll_in, poll_backoff};
use ordertrack_shared::carriers::tracking::{apply_update, UpdateSource};
use ordertrack_shared::carriers::{CarrierError, TrackingStatus};
use ordertrack_shared::db;
use ordertrack_shared::jobs::{Job, PollCarrier, Queue};
use ordertrack_shared::metrics::{JOBS_PROCESSED, JOB_DURATION};
use ordertrack_shared::models::Shipment;
use ordertrack_shared::rate_limit;
use ordertrack_shared::schema::shipments;

use crate::context::{JobContext, SharedContext};

pub async fn poll_carrier(job: PollCarrier, ctx: Data<SharedContext>, queue: Data<Queue>) -> Result<(), BoxDynError> {
    let labels = [queue.as_str(), PollCarrier::NAME];
    let timer = JOB_DURATION.with_label_values(&labels).start_timer();
    let result = poll(&ctx, &job).await;
    timer.observe_duration();
    if let Err(e) = &result {
        tracing::error!(error = %e, "job failed; it will be retried");
    }
    JOBS_PROCESSED.with_label_values(&[labels[0], labels[1], if result.is_ok() { "ok" } else { "error" }]).inc();
    result
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
    let parcels: Vec<Shipment> = shipments::table
        .filter(shipments::id.eq_any(&job.shipment_ids))
        .select(Shipment::as_select())
        .load(&mut conn)
        .await?;
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
            ctx.enqueuer.push_notifications(&notifications).await;
            Ok(())
        }
        Err(error) => {
            let wait = match &error {
                CarrierError::RateLimited { retry_after: Some(after) } => *after,
                _ => poll_backoff(parcels.iter().map(|p| p.poll_failures).max().unwrap_or(0)),
            };
            tracing::warn!(carrier = %job.carrier, %error, ?wait, "carrier poll failed; backing off");
            let next = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            diesel::update(shipments::table.filter(shipments::id.eq_any(&job.shipment_ids)))
                .set((shipments::next_poll_at.eq(next), shipments::poll_failures.eq(shipments::poll_failures + 1)))
                .execute(&mut conn)
                .await?;
            Ok(())
        }
    }
}

/// Sets each parcel's next poll from its (new) state.
async fn schedule_next(conn: &mut diesel_async::AsyncPgConnection, ids: &[uuid::Uuid]) -> Result<(), BoxDynError> {
    let now = Utc::now();
    let parcels: Vec<Shipment> =
        shipments::table.filter(shipments::id.eq_any(ids)).select(Shipment::as_select()).load(conn).await?;
    for parcel in parcels {
        let status: TrackingStatus = parcel.tracking_status.parse().unwrap_or(TrackingStatus::Unknown);
        let last_news = parcel.last_event_at.unwrap_or(parcel.created_at);
        let next = match next_poll_in(status, last_news, parcel.last_webhook_at, now) {
            Some(wait) => now + chrono::Duration::from_std(wait).unwrap_or_default(),
            // Final or abandoned: park it far away (the due-scan skips finals).
            None => now + chrono::Duration::days(3650),
        };
        diesel::update(shipments::table.find(parcel.id))
            .set((shipments::next_poll_at.eq(next), shipments::poll_failures.eq(0)))
            .execute(conn)
            .await?;
    }
    Ok(())
}
