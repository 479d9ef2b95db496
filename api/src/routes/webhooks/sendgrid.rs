//! SendGrid's Event Webhook: what became of our emails (delivered, bounced,
//! dropped, deferred, marked as spam, unsubscribed, opened, clicked).

use std::collections::HashMap;

use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use ordertrack_shared::analytics::capture;
use ordertrack_shared::domain::{Channel, MessageEventKind};
use ordertrack_shared::models::{NewMessageEvent, Notification, OptOut};
use ordertrack_shared::schema::notifications;
use ordertrack_shared::webhooks::sendgrid::{self, SendgridEvent};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Refusal};
use crate::client_ip::client_key;
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::Guest;
use crate::state::AppState;

/// The kind of fact a SendGrid event is; `None` for events we do not keep
/// (`processed`: accepted, which the send already recorded; resubscribes).
pub fn kind_of(event: &str) -> Option<MessageEventKind> {
    Some(match event {
        "delivered" => MessageEventKind::Delivered,
        "deferred" => MessageEventKind::Deferred,
        "bounce" => MessageEventKind::Bounced,
        "dropped" => MessageEventKind::Dropped,
        "spamreport" => MessageEventKind::Complained,
        "unsubscribe" | "group_unsubscribe" => MessageEventKind::Unsubscribed,
        "open" => MessageEventKind::Opened,
        "click" => MessageEventKind::Clicked,
        _ => return None,
    })
}

/// Whether the event means the address must get no more email: a hard
/// bounce (`type` bounce, not a `blocked` soft one), a spam complaint or an
/// unsubscribe.
pub fn turns_email_off(event: &SendgridEvent) -> bool {
    match event.event.as_str() {
        "bounce" => event.bounce_type.as_deref() != Some("blocked"),
        "spamreport" | "unsubscribe" | "group_unsubscribe" => true,
        _ => false,
    }
}

/// SendGrid's signed Event Webhook. Rate limited per client IP
/// (`WEBHOOK_RATE_PER_MINUTE`); verified with `SENDGRID_WEBHOOK_PUBLIC_KEY`
/// (a rejection writes one `webhook.signature_rejected` audit row). The
/// batch is applied in one transaction: every event is appended to the
/// message's record once (SendGrid's `sg_event_id`), delivery reports update
/// the message, and a hard bounce, spam report or unsubscribe turns that
/// address's email off as an opt-out does. A batch that cannot be stored
/// answers 5xx, and SendGrid sends it again.
#[utoipa::path(
    post, path = "/webhooks/sendgrid/events", tag = "webhooks",
    request_body(content = String, content_type = "application/json", description = "SendGrid's JSON array of events"),
    responses(
        Guest,
        (status = 204, description = "Recorded"),
        (status = 400, description = "Not an array of events; names the field", body = ErrorBody),
        (status = 401, description = "Bad signature", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
    ),
    security(("sendgrid_signature" = []))
)]
#[post("/webhooks/sendgrid/events")]
pub async fn sendgrid_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let result = receive(&state, &req, payload).await;
    super::outcome::count("sendgrid", &result);
    result
}

async fn receive(state: &AppState, req: &HttpRequest, payload: web::Payload) -> Result<HttpResponse, ApiError> {
    let ip = client_key(req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("sendgrid", &ip, state.config.webhook_rate_per_minute, 60).await?;
    let body = json::read_body(payload, state.config.webhooks.max_body_bytes).await?;
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (signature, timestamp) = (header(sendgrid::SIGNATURE_HEADER), header(sendgrid::TIMESTAMP_HEADER));
    let refusal = match &state.config.sendgrid_webhook_key {
        None => Some("SendGrid events are not configured (SENDGRID_WEBHOOK_PUBLIC_KEY)"),
        Some(key) if !key.verify(timestamp, &body, signature) => Some("bad X-Twilio-Email-Event-Webhook-Signature"),
        Some(_) => None,
    };
    if let Some(reason) = refusal {
        tracing::warn!(reason, "rejected a SendGrid event batch");
        let refusal = Refusal {
            action: "webhook.signature_rejected",
            reason: reason.to_owned(),
            target_type: "provider",
            target_id: "sendgrid".into(),
            detail: json!({}),
        };
        audit::refusal(state, req, refusal).write().await;
        return Err(ApiError::Unauthorized);
    }
    let events = sendgrid::parse_batch(&body)
        .map_err(|e| ApiError::bad_request("invalid_event", e.to_string(), Some(&e.field)))?;
    let mut conn = state.conn().await?;
    conn.transaction::<_, ApiError, _>(async |conn| Ok(apply(conn, &events).await?)).await?;
    state.enqueuer.announce_events().await;
    Ok(HttpResponse::NoContent().finish())
}

/// Records a verified batch inside the caller's transaction.
async fn apply(conn: &mut AsyncPgConnection, events: &[SendgridEvent]) -> diesel::QueryResult<()> {
    let messages = match_messages(conn, events).await?;
    let mut facts = Vec::new();
    for event in events {
        let message = messages.get(&event.sg_event_id);
        let Some(kind) = kind_of(&event.event) else { continue };
        facts.push(NewMessageEvent {
            notification_id: message.map(|m| m.id),
            order_id: message.and_then(|m| m.order_id),
            kind,
            machine: event.sg_machine_open,
            detail: event.raw.clone(),
            provider: "sendgrid".into(),
            provider_event_id: Some(event.sg_event_id.clone()),
            occurred_at: event.occurred_at,
        });
    }
    let recorded = capture::record(conn, &facts).await?;
    // Only what is new acts: a redelivered batch changes nothing twice.
    for fact in &recorded {
        let Some(event) = events.iter().find(|e| Some(&e.sg_event_id) == fact.provider_event_id.as_ref()) else {
            continue;
        };
        if let (Some(id), "delivered" | "bounce" | "dropped") = (fact.notification_id, event.event.as_str()) {
            let delivered_at = (event.event == "delivered").then_some(event.occurred_at);
            Notification::record_delivery(conn, id, &event.event, delivered_at).await?;
        }
        // The address as we sent to it (the opt-out list is matched exactly).
        let address = messages.get(&event.sg_event_id).map_or(event.email.as_str(), |m| m.recipient.as_str());
        if turns_email_off(event) && !address.is_empty() {
            OptOut::record(conn, Channel::Email, address).await?;
        }
    }
    Ok(())
}

/// The email an event is about.
#[derive(Debug, Clone, Queryable)]
struct Message {
    id: Uuid,
    order_id: Option<Uuid>,
    recipient: String,
    provider_message_id: Option<String>,
}

/// The message each event (by `sg_event_id`) is about: by our
/// `notification_id` argument, else by the Message-ID we set (`smtp-id`).
async fn match_messages(
    conn: &mut AsyncPgConnection,
    events: &[SendgridEvent],
) -> diesel::QueryResult<HashMap<String, Message>> {
    let ids: Vec<Uuid> = events.iter().filter_map(|e| e.notification_id).collect();
    let smtp_ids: Vec<String> = events.iter().filter_map(|e| e.smtp_id.clone()).collect();
    let found: Vec<Message> = notifications::table
        .filter(notifications::id.eq_any(&ids).or(notifications::provider_message_id.eq_any(&smtp_ids)))
        .filter(notifications::channel.eq(Channel::Email))
        .select((
            notifications::id,
            notifications::order_id,
            notifications::recipient,
            notifications::provider_message_id,
        ))
        .load(conn)
        .await?;
    Ok(events
        .iter()
        .filter_map(|event| {
            let hit = found.iter().find(|m| {
                event.notification_id == Some(m.id)
                    || (event.smtp_id.is_some() && m.provider_message_id == event.smtp_id)
            })?;
            Some((event.sg_event_id.clone(), hit.clone()))
        })
        .collect())
}
