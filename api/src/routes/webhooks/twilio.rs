use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::provider_event::mark_applied;
use ordertrack_shared::models::{NewProviderEvent, Notification};
use ordertrack_shared::webhooks::twilio;

use crate::errors::ApiError;
use crate::json;
use crate::state::AppState;

/// The statuses worth recording: what finally became of the message.
const FINAL_STATUSES: &[&str] = &["delivered", "undelivered", "failed", "read"];

/// Twilio's SMS status callback. Verified by `X-Twilio-Signature` over our
/// public URL and the sorted form fields; stored as received, then applied to
/// the notification (delivered / undelivered / failed).
#[utoipa::path(
    post, path = "/webhooks/twilio/status", tag = "webhooks",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 204, description = "Recorded"), (status = 401, description = "Bad signature"))
)]
#[post("/webhooks/twilio/status")]
pub async fn twilio_status_callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = json::read_body(payload, state.config.max_body_bytes).await?;
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let signature = req.headers().get("X-Twilio-Signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let url = format!("{}{}", state.config.public_base_url.trim_end_matches('/'), req.uri());
    let token = state.config.twilio_auth_token.as_deref().ok_or_else(|| {
        tracing::warn!("Twilio callback received but TWILIO_AUTH_TOKEN is not set");
        ApiError::Unauthorized
    })?;
    if !twilio::verify(token, &url, &params, signature) {
        tracing::warn!(%url, "rejected Twilio callback: bad signature");
        return Err(ApiError::Unauthorized);
    }
    let field = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (Some(sid), Some(status)) = (field("MessageSid"), field("MessageStatus")) else {
        return Err(ApiError::bad_request("invalid_callback", "MessageSid and MessageStatus are required", None));
    };
    let mut conn = state.conn().await?;
    let raw: serde_json::Map<String, serde_json::Value> =
        params.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
    let event_id = NewProviderEvent {
        provider: "twilio".into(),
        provider_message_id: sid.clone(),
        status: status.clone(),
        payload: raw.into(),
    }
    .insert(&mut conn)
    .await?;
    if FINAL_STATUSES.contains(&status.as_str()) {
        let updated = Notification::record_delivery_status(&mut conn, &sid, &status).await?;
        if updated > 0 {
            mark_applied(&mut conn, event_id).await?;
        }
    }
    Ok(HttpResponse::NoContent().finish())
}
