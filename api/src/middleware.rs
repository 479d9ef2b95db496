//! Request middleware: per-token rate limits on the authenticated API (with
//! `RateLimit-*` headers on every answer), security audit rows for refused
//! requests (401, 403, 429), and Prometheus request metrics.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};
use ordertrack_shared::metrics::{HTTP_DURATION, HTTP_REQUESTS};
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::state::AppState;
use ordertrack_shared::rate_limit::RateState;

/// The limiter key of a bearer token: a hash, never the secret itself.
fn token_key(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let token = value.split_once(' ')?.1.trim();
    Some(hex::encode(&Sha256::digest(token.as_bytes())[..12]))
}

fn set_headers<B>(res: &mut ServiceResponse<B>, state: RateState) {
    let headers = res.headers_mut();
    for (name, value) in [
        ("ratelimit-limit", state.limit as u64),
        ("ratelimit-remaining", state.remaining as u64),
        ("ratelimit-reset", state.reset),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
}

pub async fn around<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let peer = req.peer_addr().map(|a| a.ip().to_string());
    let path = req.path().to_owned();

    let mut rate = None;
    if let (Some(state), Some(key), true) = (&state, token_key(&req), path.starts_with("/api/v1/")) {
        let limit = state.config.token_rate_per_minute;
        if let Some((current, exceeded)) = state.rate_limiter.hit("token", &key, limit, 60).await {
            if exceeded {
                let error = ApiError::TooManyRequests { retry_after: current.reset, limit };
                let res = req.into_response(error.error_response()).map_into_right_body();
                record_refusal(state, 429, &method, &path, peer);
                observe(&method, "rate_limited", 429, started);
                return Ok(res);
            }
            rate = Some(current);
        }
    }

    let mut res = next.call(req).await?;
    if let Some(current) = rate {
        set_headers(&mut res, current);
    }
    let status = res.status().as_u16();
    if let (Some(state), 401 | 403 | 429) = (&state, status) {
        record_refusal(state, status, &method, &path, peer);
    }
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    observe(&method, &route, status, started);
    Ok(res.map_into_left_body())
}

fn observe(method: &str, route: &str, status: u16, started: Instant) {
    let status = status.to_string();
    HTTP_REQUESTS.with_label_values(&[method, route, &status]).inc();
    HTTP_DURATION.with_label_values(&[method, route, &status]).observe(started.elapsed().as_secs_f64());
}

/// A security audit row for a refused request, written off the request path.
fn record_refusal(state: &web::Data<AppState>, status: u16, method: &str, path: &str, ip: Option<String>) {
    let action = match status {
        401 => "security.unauthenticated",
        403 => "security.permission_denied",
        _ => "security.rate_limited",
    };
    let entry = ordertrack_shared::models::NewAuditEntry {
        actor: "anonymous".into(),
        role: "none".into(),
        action: action.into(),
        target_type: Some("route".into()),
        target_id: Some(format!("{method} {path}")),
        ip,
        ..Default::default()
    };
    let db = state.db.clone();
    tokio::spawn(async move {
        match db.get().await {
            Ok(mut conn) => {
                if let Err(e) = entry.insert(&mut conn).await {
                    tracing::error!(error = %e, "security audit write failed");
                }
            }
            Err(e) => tracing::error!(error = %e, "security audit write failed: no connection"),
        }
    });
}
