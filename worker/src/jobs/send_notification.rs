//! Delivers one notification: claim the row, render, send, record the attempt
//! and the outcome. Postgres holds the truth (attempt count, next try), so a
//! duplicate job, a replay or a sweep never sends twice.

use std::time::{Duration, Instant};

use apalis::prelude::{BoxDynError, Data};
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use ordertrack_shared::channels::{SendError, SendReceipt};
use ordertrack_shared::db;
use ordertrack_shared::domain::{AttemptOutcome, Channel};
use ordertrack_shared::jobs::{Job, Queue, SendNotification};
use ordertrack_shared::metrics::{JOBS_PROCESSED, JOB_DURATION, NOTIFICATION_ATTEMPTS};
use ordertrack_shared::models::{NewNotificationAttempt, Notification, Order};
use ordertrack_shared::templates::OrderContext;
use tracing::Instrument;

use crate::context::{JobContext, SharedContext};
use crate::retry::backoff;

/// What became of the job, for metrics and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// Nothing to do: already sent, dead, or another worker holds it.
    Skipped,
    RetryScheduled,
    DeadLettered,
}

pub async fn send_notification(
    job: SendNotification,
    ctx: Data<SharedContext>,
    queue: Data<Queue>,
) -> Result<(), BoxDynError> {
    let labels = [queue.as_str(), SendNotification::NAME];
    let timer = JOB_DURATION.with_label_values(&labels).start_timer();
    let result = deliver(&ctx, job.notification_id)
        .instrument(
            tracing::info_span!("send_notification", notification_id = %job.notification_id),
        )
        .await;
    timer.observe_duration();
    let outcome = match &result {
        Ok(Delivery::Sent) => "sent",
        Ok(Delivery::Skipped) => "skipped",
        Ok(Delivery::RetryScheduled) => "retry_scheduled",
        Ok(Delivery::DeadLettered) => "dead_lettered",
        Err(_) => "error",
    };
    JOBS_PROCESSED
        .with_label_values(&[labels[0], labels[1], outcome])
        .inc();
    result.map(|_| ())
}

pub async fn deliver(ctx: &JobContext, id: uuid::Uuid) -> Result<Delivery, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let Some(notification) = Notification::claim(&mut conn, id, ctx.config.claim_lease).await?
    else {
        return Ok(Delivery::Skipped);
    };
    let started_at = Utc::now();
    let clock = Instant::now();
    let result = send(ctx, &mut conn, &notification).await;
    let duration_ms = clock.elapsed().as_millis().min(i32::MAX as u128) as i32;
    let channel = notification.channel.as_str();
    let attempt =
        |outcome, receipt: Option<&SendReceipt>, error: Option<String>| NewNotificationAttempt {
            notification_id: notification.id,
            attempt: notification.attempts,
            outcome,
            provider: receipt.map_or_else(
                || ctx.email.provider().to_owned(),
                |r| r.provider.to_owned(),
            ),
            provider_message_id: receipt.and_then(|r| r.provider_message_id.clone()),
            error,
            started_at,
            duration_ms,
        };
    match result {
        Ok(receipt) => {
            let record = attempt(AttemptOutcome::Sent, Some(&receipt), None);
            db::begin(&mut conn).await?;
            let result = async {
                record.insert(&mut conn).await?;
                Notification::mark_sent(
                    &mut conn,
                    notification.id,
                    receipt.provider_message_id.as_deref(),
                )
                .await
            }
            .await;
            db::finish(&mut conn, result).await?;
            NOTIFICATION_ATTEMPTS
                .with_label_values(&[channel, "sent"])
                .inc();
            tracing::info!(attempt = notification.attempts, "notification sent");
            Ok(Delivery::Sent)
        }
        Err(SendError::Transient(error)) if notification.attempts < ctx.config.max_attempts => {
            let delay = backoff(
                notification.attempts,
                ctx.config.retry_base,
                ctx.config.retry_max,
            );
            let next_at = Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
            let record = attempt(AttemptOutcome::TransientError, None, Some(error.clone()));
            db::begin(&mut conn).await?;
            let result = async {
                record.insert(&mut conn).await?;
                Notification::mark_retry(&mut conn, notification.id, &error, next_at).await
            }
            .await;
            db::finish(&mut conn, result).await?;
            drop(conn);
            NOTIFICATION_ATTEMPTS
                .with_label_values(&[channel, "transient_error"])
                .inc();
            tracing::warn!(attempt = notification.attempts, ?delay, %error, "send failed, will retry");
            schedule_retry(ctx, &notification, delay).await;
            Ok(Delivery::RetryScheduled)
        }
        Err(failure) => {
            let (outcome, error) = match failure {
                SendError::Permanent(e) => (AttemptOutcome::PermanentError, e),
                SendError::Transient(e) => (
                    AttemptOutcome::TransientError,
                    format!("gave up after {} attempts: {e}", notification.attempts),
                ),
            };
            let record = attempt(outcome, None, Some(error.clone()));
            db::begin(&mut conn).await?;
            let result = async {
                record.insert(&mut conn).await?;
                Notification::mark_failed(&mut conn, notification.id, &error).await
            }
            .await;
            db::finish(&mut conn, result).await?;
            NOTIFICATION_ATTEMPTS
                .with_label_values(&[channel, outcome.as_str()])
                .inc();
            tracing::error!(attempt = notification.attempts, %error, "notification dead-lettered");
            Ok(Delivery::DeadLettered)
        }
    }
}

/// Short waits are slept here (Redis schedules in whole seconds); long ones
/// are scheduled in Redis so they do not hold a worker slot. If the push
/// fails, the sweeper picks the row up once it is overdue.
async fn schedule_retry(ctx: &JobContext, notification: &Notification, delay: Duration) {
    let job = SendNotification {
        notification_id: notification.id,
    };
    if delay < Duration::from_secs(1) {
        tokio::time::sleep(delay).await;
        let _ = ctx.enqueuer.push(notification.queue, job, None).await;
    } else {
        let _ = ctx
            .enqueuer
            .push(notification.queue, job, Some(delay))
            .await;
    }
}

async fn send(
    ctx: &JobContext,
    conn: &mut AsyncPgConnection,
    notification: &Notification,
) -> Result<SendReceipt, SendError> {
    let order = Order::find(conn, notification.order_id)
        .await
        .map_err(|e| SendError::Transient(format!("cannot load order: {e}")))?;
    let data = OrderContext::for_order(&order, notification.locale, &ctx.config.public_base_url);
    match notification.channel {
        Channel::Email => {
            let email = ctx
                .renderer
                .render_email(notification.event, notification.locale, &data)
                .map_err(|e| SendError::Permanent(e.to_string()))?;
            ctx.email
                .send(
                    &notification.recipient,
                    &notification.id.to_string(),
                    &email,
                    Vec::new(),
                )
                .await
        }
        Channel::Sms | Channel::Push => Err(SendError::Permanent(format!(
            "no {} provider is configured",
            notification.channel
        ))),
    }
}
