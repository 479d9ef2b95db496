use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::domain::Carrier;
use ordertrack_shared::jobs::{ProcessCarrierReceipt, Queue};
use ordertrack_shared::models::{CarrierReceipt, NewCarrierReceipt};
use ordertrack_shared::webhooks::carriers::{verify_fedex, verify_timestamped};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, Refusal};
use crate::client_ip::client_ip;
use crate::config::WebhookConfig;
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::Guest;
use crate::state::AppState;

/// Constant-time equality for shared secrets sent in headers.
fn same_secret(given: &str, expected: &str) -> bool {
    use hmac::Mac;
    let mut mac =
        <hmac::Hmac<Sha256> as Mac>::new_from_slice(b"ordertrack-header-compare").unwrap_or_else(|_| unreachable!());
    mac.update(expected.as_bytes());
    let expected_tag = mac.finalize().into_bytes();
    let mut mac =
        <hmac::Hmac<Sha256> as Mac>::new_from_slice(b"ordertrack-header-compare").unwrap_or_else(|_| unreachable!());
    mac.update(given.as_bytes());
    mac.verify_slice(&expected_tag).is_ok()
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Checks the carrier's own authentication, or our timestamped signature.
fn authenticate(config: &WebhookConfig, carrier: Carrier, req: &HttpRequest, body: &[u8]) -> Result<(), &'static str> {
    if let Some(signature) = header(req, "Ordertrack-Signature") {
        if config.signing_secrets.is_empty() {
            return Err("timestamped signatures are not configured");
        }
        let now = chrono::Utc::now().timestamp();
        return verify_timestamped(signature, body, &config.signing_secrets, now, config.signature_tolerance_secs)
            .map_err(|_| "bad or expired Ordertrack-Signature");
    }
    match carrier {
        Carrier::Fedex => {
            let secret = config.fedex_secret.as_deref().ok_or("FedEx webhooks are not configured")?;
            let signature = header(req, "fdx-signature").ok_or("missing fdx-signature")?;
            verify_fedex(body, signature, secret).then_some(()).ok_or("bad fdx-signature")
        }
        Carrier::Ups => {
            let expected = config.ups_credential.as_deref().ok_or("UPS webhooks are not configured")?;
            let given = header(req, "credential").ok_or("missing credential header")?;
            same_secret(given, expected).then_some(()).ok_or("bad UPS credential")
        }
        Carrier::Dhl => {
            let expected = config.dhl_api_key.as_deref().ok_or("DHL webhooks are not configured")?;
            let given = header(req, "DHL-API-Key").ok_or("missing DHL-API-Key")?;
            same_secret(given, expected).then_some(()).ok_or("bad DHL-API-Key")
        }
    }
}

/// A carrier's tracking push. Checked (IP allowlist, the carrier's
/// signature or credential, or our timestamped `Ordertrack-Signature`),
/// stored exactly as received, and answered at once; a job normalizes it.
/// An identical body received again is acknowledged and not processed twice.
#[utoipa::path(
    post, path = "/webhooks/{carrier}", tag = "webhooks",
    params(("carrier" = String, Path, description = "fedex, ups or dhl")),
    request_body(content = Object, description = "The carrier's payload"),
    responses(
        Guest,
        (status = 202, description = "Stored; processing is queued"),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 401, description = "Bad signature or credential", body = ErrorBody),
        (status = 403, description = "Caller IP not allowed", body = ErrorBody),
        (status = 404, description = "Unknown carrier", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
    ),
    security(("fedex_signature" = []), ("ups_credential" = []), ("dhl_api_key" = []), ("ordertrack_signature" = []))
)]
#[post("/webhooks/{carrier}")]
pub async fn receive_carrier_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    carrier: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let carrier: Carrier = carrier.parse().map_err(|_| ApiError::NotFound("carrier"))?;
    let result = receive(&state, &req, carrier, payload).await;
    super::outcome::count(carrier.as_str(), &result);
    result
}

async fn receive(
    state: &AppState,
    req: &HttpRequest,
    carrier: Carrier,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let config = &state.config.webhooks;
    let ip = client_ip(req, &config.trusted_proxies);
    let ip_text = ip.map(|ip| ip.to_string());
    state
        .rate_limiter
        .check("webhook", ip_text.as_deref().unwrap_or_default(), state.config.webhook_rate_per_minute, 60)
        .await?;
    let allowlist = config.allowlists.iter().find(|(c, _)| *c == carrier).map(|(_, list)| list);
    if let Some(list) = allowlist.filter(|list| !list.is_empty()) {
        if !ip.is_some_and(|ip| list.allows(ip)) {
            let refusal = Refusal {
                action: "webhook.ip_denied",
                reason: "ip not in the allowlist".into(),
                target_type: "carrier",
                target_id: carrier.as_str().to_owned(),
                detail: json!({"ip": ip_text}),
            };
            audit::refusal(state, req, refusal).write().await;
            return Err(ApiError::Forbidden);
        }
    }
    let body = json::read_body(payload, config.max_body_bytes).await?;
    if let Err(reason) = authenticate(config, carrier, req, &body) {
        tracing::warn!(%carrier, reason, "rejected carrier webhook");
        let refusal = Refusal {
            action: "webhook.signature_rejected",
            reason: reason.to_owned(),
            target_type: "carrier",
            target_id: carrier.as_str().to_owned(),
            detail: json!({}),
        };
        audit::refusal(state, req, refusal).write().await;
        return Err(ApiError::Unauthorized);
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("invalid_json", "body must be UTF-8 JSON", None))?;
    serde_json::from_str::<serde_json::Value>(text)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("body is not JSON: {e}"), None))?;
    let body_hash = Sha256::digest(&body).to_vec();
    let mut conn = state.conn().await?;
    let receipt = NewCarrierReceipt {
        id: Uuid::now_v7(),
        carrier,
        body: text.to_owned(),
        body_hash: body_hash.clone(),
        source_ip: ip_text,
    };
    let (receipt_id, duplicate) = match receipt.insert_once(&mut conn).await? {
        Some(id) => (id, false),
        None => (CarrierReceipt::find_by_hash(&mut conn, carrier, &body_hash).await?.id, true),
    };
    drop(conn);
    if !duplicate {
        // If this fails the sweeper finds the pending receipt.
        let _ = state.enqueuer.push(Queue::CarrierEvents, ProcessCarrierReceipt { receipt_id }, None).await;
    }
    Ok(HttpResponse::Accepted().json(json!({"receipt_id": receipt_id, "duplicate": duplicate})))
}
