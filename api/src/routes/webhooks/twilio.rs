use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::analytics::capture;
use ordertrack_shared::domain::MessageEventKind;
use ordertrack_shared::models::provider_event::mark_applied;
use ordertrack_shared::models::{NewMessageEvent, NewProviderEvent, Notification};
use ordertrack_shared::webhooks::twilio;

use crate::audit::{self, Refusal};
use crate::client_ip::client_key;
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::Guest;
use crate::state::AppState;

/// Twilio's SMS status callback. Rate limited per client IP
/// (`WEBHOOK_RATE_PER_MINUTE`); verified by `X-Twilio-Signature` over our
/// public URL and the sorted form fields (a rejection writes one
/// `webhook.signature_rejected` audit row); stored as received, then applied
/// to the notification (delivered / undelivered / failed) and recorded once
/// on its record and its order's staff timeline.
#[utoipa::path(
    post, path = "/webhooks/twilio/status", tag = "webhooks",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses(
        Guest,
        (status = 204, description = "Recorded"),
        (status = 400, description = "MessageSid or MessageStatus missing", body = ErrorBody),
        (status = 401, description = "Bad signature", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
    ),
    security(("twilio_signature" = []))
)]
#[post("/webhooks/twilio/status")]
pub async fn twilio_status_callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let result = receive(&state, &req, payload).await;
    super::outcome::count("twilio", &result);
    result
}

async fn receive(state: &AppState, req: &HttpRequest, payload: web::Payload) -> Result<HttpResponse, ApiError> {
    let ip = client_key(req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("twilio", &ip, state.config.webhook_rate_per_minute, 60).await?;
    let body = json::read_body(payload, state.config.max_body_bytes).await?;
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let signature = req.headers().get("X-Twilio-Signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let url = format!("{}{}", state.config.public_base_url.trim_end_matches('/'), req.uri());
    let reason = match state.config.twilio_auth_token.as_deref() {
        None => {
            tracing::warn!("Twilio callback received but TWILIO_AUTH_TOKEN is not set");
            Some("Twilio callbacks are not configured")
        }
        Some(token) if !twilio::verify(token, &url, &params, signature) => {
            tracing::warn!(%url, "rejected Twilio callback: bad signature");
            Some("bad X-Twilio-Signature")
        }
        Some(_) => None,
    };
    if let Some(reason) = reason {
        let refusal = Refusal {
            action: "webhook.signature_rejected",
            reason: reason.to_owned(),
            target_type: "provider",
            target_id: "twilio".into(),
            detail: serde_json::json!({}),
        };
        audit::refusal(state, req, refusal).write().await;
        return Err(ApiError::Unauthorized);
    }
    let field = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (Some(sid), Some(status)) = (field("MessageSid"), field("MessageStatus")) else {
        return Err(ApiError::bad_request("invalid_callback", "MessageSid and MessageStatus are required", None));
    };
    let mut conn = state.conn().await?;
    let raw: serde_json::Map<String, serde_json::Value> =
        params.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
    let raw = serde_json::Value::from(raw);
    let event_id = NewProviderEvent {
        provider: "twilio".into(),
        provider_message_id: sid.clone(),
        status: status.clone(),
        payload: raw.clone(),
    }
    .insert(&mut conn)
    .await?;
    let Some(kind) = kind_of(&status) else {
        return Ok(HttpResponse::NoContent().finish());
    };
    let recorded = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let updated = Notification::record_delivery_status(conn, &sid, &status).await?;
            if updated > 0 {
                mark_applied(conn, event_id).await?;
            }
            let message = Notification::by_provider_message_id(conn, &sid).await?;
            let fact = NewMessageEvent {
                notification_id: message.map(|(id, _)| id),
                order_id: message.and_then(|(_, order)| order),
                kind,
                machine: false,
                detail: raw,
                provider: "twilio".into(),
                // One report of each status per message.
                provider_event_id: Some(format!("{sid}:{status}")),
                occurred_at: chrono::Utc::now(),
            };
            Ok(capture::record(conn, &[fact]).await?)
        })
        .await?;
    if !recorded.is_empty() {
        state.enqueuer.announce_events().await;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// What a final Twilio status is as a fact about the message; `None` for
/// the statuses on the way (queued, sending, sent).
pub fn kind_of(status: &str) -> Option<MessageEventKind> {
    Some(match status {
        "delivered" => MessageEventKind::Delivered,
        // The carrier could not deliver it to the handset.
        "undelivered" => MessageEventKind::Bounced,
        // Twilio could not send it at all.
        "failed" => MessageEventKind::Dropped,
        "read" => MessageEventKind::Opened,
        _ => return None,
    })
}
