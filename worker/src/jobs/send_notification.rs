//! Delivers one notification: claim the row, render, send, record the attempt
//! and the outcome. Postgres holds the truth (attempt count, next try), so a
//! duplicate job, a replay or a sweep never sends twice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use apalis::prelude::{BoxDynError, Data};
use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use ordertrack_shared::analytics::tracking::LinkTracker;
use ordertrack_shared::channels::push::PushMessage;
use ordertrack_shared::channels::sms_segments;
use ordertrack_shared::channels::{SendError, SendReceipt};
use ordertrack_shared::domain::{AttemptOutcome, Channel, Locale, NotificationEvent, NotificationStatus};
use ordertrack_shared::jobs::{Job, Queue, SendNotification};
use ordertrack_shared::metrics::{NOTIFICATION_ATTEMPTS, OUTCOME_WINDOW};
use ordertrack_shared::models::{
    DeviceToken, NewNotificationAttempt, NewOrderEvent, Notification, Order, SentRecord, TemplateKey, TemplateVersion,
};
use ordertrack_shared::orders::timeline::TimelineEntry;
use ordertrack_shared::templates::sms_budget::SMS_MAX_SEGMENTS;
use ordertrack_shared::templates::{
    CompiledTemplate, MessageContext, Rendered, RenderedEmail, TemplateError, TemplateParts,
};
use serde_json::json;

use super::instrumented;
use crate::context::{JobContext, SharedContext};
use crate::group_write::Written;
use crate::retry::backoff;
use crate::send_batches::{written, OrderRead};

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
    let span = tracing::info_span!("send_notification", notification_id = %job.notification_id);
    let ctx = SharedContext::clone(&ctx);
    let work = {
        let ctx = ctx.clone();
        async move { deliver(&ctx, job.notification_id).await.map(Delivery::label) }
    };
    instrumented(&ctx, *queue, SendNotification::NAME, span, work).await
}

impl Delivery {
    /// The outcome label in metrics.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Sent => "sent",
            Delivery::Skipped => "skipped",
            Delivery::RetryScheduled => "retry_scheduled",
            Delivery::DeadLettered => "dead_lettered",
        }
    }
}

pub async fn deliver(ctx: &JobContext, id: uuid::Uuid) -> Result<Delivery, BoxDynError> {
    let notification = match ctx.send_batches.claims.write(id).await {
        Written::Done(Some(notification)) => notification,
        Written::Done(None) => return Ok(Delivery::Skipped),
        Written::Retry(e) | Written::Failed(e) => return Err(e),
    };
    let started_at = Utc::now();
    let clock = Instant::now();
    let result = send(ctx, &notification).await;
    let answered = Instant::now();
    let duration_ms = clock.elapsed().as_millis().min(i32::MAX as u128) as i32;
    let channel = notification.channel.as_str();
    let attempt = |outcome, receipt: Option<&SendReceipt>, error: Option<String>| NewNotificationAttempt {
        notification_id: notification.id,
        attempt: notification.attempts,
        outcome,
        provider: receipt.map_or_else(|| provider(ctx, notification.channel).to_owned(), |r| r.provider.to_owned()),
        provider_message_id: receipt.and_then(|r| r.provider_message_id.clone()),
        error,
        started_at,
        duration_ms,
    };
    let outcome = match result {
        Ok(sent) => Outcome::Sent {
            record: attempt(AttemptOutcome::Sent, Some(&sent.receipt), None),
            links: sent.links,
            order: sent.order,
        },
        Err(SendError::Transient(error)) if notification.budget_used() < ctx.config.max_attempts => {
            let delay = backoff(notification.budget_used(), ctx.config.retry_base, ctx.config.retry_max);
            let next_at = Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
            let record = attempt(AttemptOutcome::TransientError, None, Some(error.clone()));
            Outcome::Retry { record, error, next_at, delay }
        }
        Err(failure) => {
            let (outcome, error, invalid_device) = match failure {
                SendError::Permanent(e) => (AttemptOutcome::PermanentError, e, false),
                SendError::InvalidRecipient(e) => {
                    (AttemptOutcome::PermanentError, format!("invalid recipient: {e}"), true)
                }
                SendError::Transient(e) => (
                    AttemptOutcome::TransientError,
                    format!("gave up after {} attempts: {e}", notification.budget_used()),
                    false,
                ),
            };
            Outcome::Failed { record: attempt(outcome, None, Some(error.clone())), error, invalid_device }
        }
    };
    record(ctx, &notification, &outcome).await?;
    if matches!(outcome, Outcome::Sent { .. }) {
        OUTCOME_WINDOW.with_label_values(&[channel]).observe(answered.elapsed().as_secs_f64());
    }
    let delivery = match outcome {
        Outcome::Sent { .. } => {
            NOTIFICATION_ATTEMPTS.with_label_values(&[channel, "sent"]).inc();
            tracing::info!(attempt = notification.attempts, "notification sent");
            Delivery::Sent
        }
        Outcome::Retry { error, delay, .. } => {
            NOTIFICATION_ATTEMPTS.with_label_values(&[channel, "transient_error"]).inc();
            tracing::warn!(attempt = notification.attempts, ?delay, %error, "send failed, will retry");
            schedule_retry(ctx, &notification, delay).await;
            return Ok(Delivery::RetryScheduled);
        }
        Outcome::Failed { record, error, .. } => {
            NOTIFICATION_ATTEMPTS.with_label_values(&[channel, record.outcome.as_str()]).inc();
            tracing::error!(attempt = notification.attempts, %error, "notification dead-lettered");
            Delivery::DeadLettered
        }
    };
    ctx.enqueuer.announce_events().await;
    Ok(delivery)
}

/// How an attempt ended, to be written down.
enum Outcome {
    Sent {
        /// Holds the provider's message id too.
        record: NewNotificationAttempt,
        /// The targets of the message's click links.
        links: Vec<String>,
        /// The order it was about, as read to render it.
        order: Option<Box<Order>>,
    },
    Retry {
        record: NewNotificationAttempt,
        error: String,
        next_at: chrono::DateTime<Utc>,
        delay: Duration,
    },
    Failed {
        record: NewNotificationAttempt,
        error: String,
        invalid_device: bool,
    },
}

/// Writes the attempt's outcome. The provider has already answered, so the
/// outcome is kept and the write retried on a fresh connection until
/// Postgres answers (a restart, a failover), for up to
/// `OUTCOME_RETRY_FOR_MS`; meanwhile the sweep leaves the row alone (see
/// `Notification::sweep_overdue`), so it is never sent again for want of
/// bookkeeping. Other errors are not retried.
async fn record(ctx: &JobContext, notification: &Notification, outcome: &Outcome) -> Result<(), BoxDynError> {
    let deadline = Instant::now() + ctx.config.outcome_retry_for;
    let mut pause = Duration::from_millis(50);
    loop {
        let error = match write_outcome(ctx, notification, outcome).await {
            Written::Done(()) => return Ok(()),
            Written::Retry(e) => e,
            Written::Failed(e) => return Err(e),
        };
        if Instant::now() >= deadline {
            tracing::error!(%error, "gave up recording a notification's outcome");
            return Err(error);
        }
        tracing::warn!(%error, ?pause, "cannot record the outcome yet; retrying");
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

/// One try at writing the outcome: a send goes with other jobs' sends
/// (`send_batches`), a failure in its own transaction.
async fn write_outcome(ctx: &JobContext, notification: &Notification, outcome: &Outcome) -> Written<()> {
    let wipe = notification.event.is_sensitive();
    match outcome {
        Outcome::Sent { record, links, order } => {
            let entry = TimelineEntry::notification(notification, NotificationStatus::Sent, None);
            let event = order.as_ref().map(|order| entry.event_for(order));
            let sent = SentRecord { attempt: record.clone(), links: links.clone(), event, wipe };
            ctx.send_batches.sends.write(sent).await
        }
        Outcome::Retry { record, error, next_at, .. } => match ctx.db.get().await {
            Ok(mut conn) => written(
                conn.transaction(async |conn| {
                    record.insert(conn).await?;
                    Notification::mark_retry(conn, notification.id, error, *next_at).await.map(|_| ())
                })
                .await,
            ),
            Err(e) => Written::Retry(e.into()),
        },
        Outcome::Failed { record, error, invalid_device } => match ctx.db.get().await {
            Ok(mut conn) => written(
                conn.transaction(async |conn| {
                    if let (true, Some(device_id)) = (*invalid_device, notification.device_token_id) {
                        DeviceToken::invalidate(conn, device_id).await?;
                    }
                    record.insert(conn).await?;
                    Notification::mark_failed(conn, notification.id, error).await?;
                    outcome_event(conn, notification, NotificationStatus::Failed, Some(error)).await?;
                    if wipe {
                        Notification::wipe_payload(conn, notification.id).await?;
                    }
                    Ok(())
                })
                .await,
            ),
            Err(e) => Written::Retry(e.into()),
        },
    }
}

/// Puts a message's final outcome on its order's timeline, for staff.
async fn outcome_event(
    conn: &mut AsyncPgConnection,
    notification: &Notification,
    outcome: NotificationStatus,
    error: Option<&str>,
) -> diesel::QueryResult<()> {
    let Some(order_id) = notification.order_id else {
        return Ok(());
    };
    let order = Order::find(conn, order_id).await?;
    NewOrderEvent::append(conn, &[TimelineEntry::notification(notification, outcome, error).event_for(&order)]).await
}

/// Short waits are slept here (Redis schedules in whole seconds); long ones
/// are scheduled in Redis so they do not hold a worker slot. If the push
/// fails, the sweeper picks the row up once it is overdue.
async fn schedule_retry(ctx: &JobContext, notification: &Notification, delay: Duration) {
    let job = SendNotification { notification_id: notification.id };
    if delay < Duration::from_secs(1) {
        tokio::time::sleep(delay).await;
        let _ = ctx.enqueuer.push(notification.queue, job, None).await;
    } else {
        let _ = ctx.enqueuer.push(notification.queue, job, Some(delay)).await;
    }
}

/// What a provider accepted.
struct Sent {
    receipt: SendReceipt,
    links: Vec<String>,
    order: Option<Box<Order>>,
}

/// Holds no database connection while the provider answers: a send waits on
/// the network, and jobs in flight are what lets `send_batches` group their
/// claims and records, so their number is the queue's concurrency, not the
/// pool's size. A connection is taken only for a read that needs one (a
/// template the cache misses, a push device) and given back at once.
async fn send(ctx: &JobContext, notification: &Notification) -> Result<Sent, SendError> {
    let base_url = ctx.config.public_base_url.trim_end_matches('/');
    let mut data = MessageContext::default();
    let mut order = None;
    if let Some(order_id) = notification.order_id {
        // Read with the orders of the other jobs sending now (`send_batches`).
        let OrderRead { order: found, shipments } = match ctx.send_batches.orders.write(order_id).await {
            Written::Done(Some(read)) => read,
            Written::Done(None) => return Err(SendError::Transient("cannot load the order: not found".into())),
            Written::Retry(e) | Written::Failed(e) => {
                return Err(SendError::Transient(format!("cannot load the order: {e}")))
            }
        };
        data = MessageContext::for_order(&found, notification.locale, base_url);
        if let Some(latest) = shipments.last() {
            data = data.with_shipment(latest);
        }
        if notification.event == NotificationEvent::Delivered {
            data.rating_url = format!("{base_url}/r/{}", ctx.signer.rating_token(notification.id));
        }
        order = Some(Box::new(found));
    }
    let data = data.with_payload(&notification.payload, notification.locale);
    let (event, locale, channel) = (notification.event, notification.locale, notification.channel);
    let data = match channel {
        Channel::Email => {
            let token = ctx.signer.unsubscribe_token(Channel::Email, &notification.recipient);
            MessageContext { unsubscribe_url: format!("{base_url}/u/{token}"), ..data }
        }
        _ => data,
    };
    let mut links = LinkTracker::new(&ctx.signer, base_url, notification.id);
    // An SMS's links are tracked before it is fitted to its budget, so the
    // fitter counts them at their real length.
    let data = if channel == Channel::Sms { links.track_values(data) } else { data };
    let rendered = render(ctx, event, channel, locale, &data).await?;
    let receipt = match rendered {
        Rendered::Email(email) => {
            let html = links.rewrite(&email.html, true);
            let email =
                RenderedEmail { html: links.with_pixel(&html), text: links.rewrite(&email.text, false), ..email };
            let headers = vec![
                // RFC 8058 one-click unsubscribe.
                ("List-Unsubscribe", format!("<{}>", data.unsubscribe_url)),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".to_owned()),
                // SendGrid returns it in every event of this message (its event webhook).
                ("X-SMTPAPI", json!({"unique_args": {"notification_id": notification.id}}).to_string()),
            ];
            ctx.email.send(&notification.recipient, &notification.id.to_string(), &email, headers).await
        }
        Rendered::Sms(body) => ctx.sms.send(&notification.recipient, &tracked_sms(&mut links, body)).await,
        Rendered::Push { title, body } => {
            let (title, body) = (links.rewrite(&title, false), links.rewrite(&body, false));
            let device_id = notification
                .device_token_id
                .ok_or_else(|| SendError::Permanent("push notification without a device".into()))?;
            let device = read(ctx, "device", async |conn| DeviceToken::find(conn, device_id).await).await?;
            if device.invalidated_at.is_some() {
                return Err(SendError::Permanent("the device token is no longer valid".into()));
            }
            let mut extra = vec![("event".to_owned(), event.to_string())];
            if !data.order_number.is_empty() {
                extra.push(("order_number".to_owned(), data.order_number.clone()));
            }
            ctx.push.send(&device.token, &PushMessage { title, body, data: extra, collapse_id: notification.id }).await
        }
    }?;
    Ok(Sent { receipt, links: links.into_links(), order })
}

/// One read on a connection taken for it and given back at once; failing,
/// it is worth another attempt.
async fn read<T>(
    ctx: &JobContext,
    what: &str,
    query: impl AsyncFnOnce(&mut AsyncPgConnection) -> diesel::QueryResult<T>,
) -> Result<T, SendError> {
    let unavailable = |e: &dyn std::fmt::Display| SendError::Transient(format!("cannot load {what}: {e}"));
    let mut conn = ctx.db.get().await.map_err(|e| unavailable(&e))?;
    query(&mut conn).await.map_err(|e| unavailable(&e))
}

/// The fitted SMS with any link its template wrote out (not a value) tracked
/// too, unless that would take it over its segment budget.
fn tracked_sms(links: &mut LinkTracker, body: String) -> String {
    let tracked = links.rewrite(&body, false);
    let segments = |text: &str| sms_segments::count(text).segments;
    if segments(&tracked) > SMS_MAX_SEGMENTS && segments(&tracked) > segments(&body) {
        body
    } else {
        tracked
    }
}

/// The active stored version of the template if an admin set one, else the
/// file. A template that cannot render is a permanent failure.
async fn render(
    ctx: &JobContext,
    event: NotificationEvent,
    channel: Channel,
    locale: Locale,
    data: &MessageContext,
) -> Result<Rendered, SendError> {
    let template_error = |e: TemplateError| SendError::Permanent(e.to_string());
    if let Some(compiled) = active_version(ctx, TemplateKey { event, channel, locale }).await? {
        return ctx.renderer.render_compiled(channel.as_str(), &compiled, data).map_err(template_error);
    }
    Ok(match channel {
        Channel::Email => Rendered::Email(ctx.renderer.render_email(event, locale, data).map_err(template_error)?),
        Channel::Sms => Rendered::Sms(ctx.renderer.render_sms(event, locale, data).map_err(template_error)?),
        Channel::Push => {
            let (title, body) = ctx.renderer.render_push(event, locale, data).map_err(template_error)?;
            Rendered::Push { title, body }
        }
    })
}

/// The key's active stored version, compiled: from this worker's cache while
/// it hears activations and rollbacks (`cache`), else read and compiled now.
async fn active_version(ctx: &JobContext, key: TemplateKey) -> Result<Option<Arc<CompiledTemplate>>, SendError> {
    let cache = ctx.caches.serving().then_some(&ctx.caches.templates);
    if let Some(hit) = cache.and_then(|templates| templates.get(&key)) {
        return Ok(hit);
    }
    let generation = ctx.caches.templates.generation();
    let stored = read(ctx, "the template", async |conn| TemplateVersion::active(conn, key).await).await?;
    let compiled = match stored {
        Some(version) => {
            let parts = TemplateParts { subject: version.subject, body: version.body, html: version.html };
            Some(Arc::new(ctx.renderer.compile(&parts).map_err(|e| SendError::Permanent(e.to_string()))?))
        }
        None => None,
    };
    if let Some(templates) = cache {
        templates.put(key, compiled.clone(), generation);
    }
    Ok(compiled)
}

/// The provider a channel goes through, for attempt rows.
fn provider(ctx: &JobContext, channel: Channel) -> &'static str {
    match channel {
        Channel::Email => ctx.email.provider(),
        Channel::Sms => ctx.sms.provider(),
        Channel::Push => ctx.push.provider(),
    }
}
