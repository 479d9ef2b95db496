//! Request middleware, around every request:
//! - a server-generated request id (`X-Request-Id` on every response, a field
//!   of the request's tracing span, stored in audit rows);
//! - per client IP, a limit on failed authentication under `/api/v1`
//!   (`AUTH_FAILURE_RATE_PER_MINUTE`): each 401 (no token, an unknown,
//!   revoked or expired token, a bad stream ticket) counts, the one over the
//!   limit and every request from that IP to `/api/v1` until the window ends
//!   are 429, without a database lookup, so token guessing gets nowhere;
//! - `RateLimit-*` headers of the per-token limit (counted by the `Principal`
//!   extractor, `auth.rs`);
//! - an audit row for a refused request (401, 403, 429) that its handler did
//!   not audit itself, through `audit::refusal` (once per IP, actor and reason
//!   per window);
//! - a URL with a NUL character (`%00`) is 400: Postgres text cannot hold one,
//!   and a path or query value would otherwise reach a query and fail there;
//! - Prometheus request metrics;
//! - the security headers of every response (`security_headers.rs`).

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpRequest, ResponseError};
use ordertrack_shared::metrics::{HTTP_DURATION, HTTP_REQUESTS};
use ordertrack_shared::rate_limit::RateState;
use tracing::Instrument;

use crate::audit::{self, Refusal, RefusalAudited};
use crate::client_ip::client_key;
use crate::errors::ApiError;
use crate::request_id::{self, RequestId};
use crate::session::SessionCookie;
use crate::state::AppState;

/// The limiter scope of failed authentication per client IP.
const AUTH_FAILURES: &str = "auth-failure";

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

fn set_request_id<B>(res: &mut ServiceResponse<B>, id: &str) {
    if let Ok(value) = HeaderValue::from_str(id) {
        res.headers_mut().insert(HeaderName::from_static(request_id::HEADER), value);
    }
}

pub async fn around<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let id = RequestId::generate();
    let span = tracing::info_span!("request", request_id = %id.0, method = %req.method(), path = %req.path());
    req.extensions_mut().insert(id.clone());
    let caches = req.app_data::<web::Data<AppState>>().map(|state| state.caches.clone());
    let work = handle(req, next).instrument(span);
    let mut res = match caches {
        Some(caches) => ordertrack_shared::cache::scope(caches, work).await?,
        None => work.await?,
    };
    set_request_id(&mut res, &id.0);
    let path = res.request().path().to_owned();
    crate::security_headers::apply(&path, res.headers_mut());
    Ok(res)
}

async fn handle<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let api = req.path().starts_with("/api/v1/");
    let ip = state.as_ref().map(|s| client_key(req.request(), &s.config.webhooks.trusted_proxies)).unwrap_or_default();

    if req.uri().to_string().contains("%00") {
        let (http, _) = req.into_parts();
        let error = ApiError::bad_request("invalid_url", "the URL must not contain NUL characters", None);
        observe(&method, "unmatched", 400, started);
        return Ok(ServiceResponse::new(http, error.error_response()).map_into_right_body());
    }

    if let (Some(state), true) = (&state, api) {
        if let Some(retry_after) = state.rate_limiter.refused_for(AUTH_FAILURES, &ip) {
            let limit = state.config.auth_failure_rate_per_minute;
            let (http, _) = req.into_parts();
            let res = refuse(state, http, ApiError::TooManyRequests { retry_after, limit }, "auth_failures");
            observe(&method, "rate_limited", 429, started);
            return Ok(res);
        }
    }

    let mut res = next.call(req).await?;
    let window = res.request().extensions().get::<RateState>().copied();
    if let Some(window) = window {
        set_headers(&mut res, window);
    }
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    if let (Some(state), true, 401) = (&state, api, status) {
        let limit = state.config.auth_failure_rate_per_minute;
        if let Some((window, true)) = state.rate_limiter.hit(AUTH_FAILURES, &ip, limit, 60).await {
            tracing::info!(%ip, "too many failed authentications");
            let (http, _) = res.into_parts();
            let error = ApiError::TooManyRequests { retry_after: window.reset, limit };
            let res = refuse(state, http, error, "auth_failures");
            observe(&method, &route, 429, started);
            return Ok(res);
        }
    }
    if let (Some(state), 401 | 403 | 429) = (&state, status) {
        if !res.request().extensions().contains::<RefusalAudited>() {
            let reason = match status {
                401 => unauthenticated_reason(res.request()).to_owned(),
                403 => "forbidden".to_owned(),
                _ => format!("rate_limited {route}"),
            };
            tokio::spawn(audit::refusal(state, res.request(), refusal(status, reason, &method, &route)).write());
        }
    }
    observe(&method, &route, status, started);
    Ok(res.map_into_left_body())
}

/// Answers `error` (audited) instead of calling the handler or in place of its answer.
fn refuse<B>(
    state: &web::Data<AppState>,
    req: HttpRequest,
    error: ApiError,
    reason: &str,
) -> ServiceResponse<EitherBody<B>> {
    let status = error.status_code().as_u16();
    let target = req.match_pattern().unwrap_or_else(|| req.path().to_owned());
    tokio::spawn(
        audit::refusal(state, &req, refusal(status, reason.to_owned(), req.method().as_str(), &target)).write(),
    );
    ServiceResponse::new(req, error.error_response()).map_into_right_body()
}

fn unauthenticated_reason(req: &HttpRequest) -> &'static str {
    if req.headers().contains_key(AUTHORIZATION) {
        "token_rejected"
    } else if req.query_string().contains("ticket=") {
        "ticket_rejected"
    } else if [SessionCookie::Staff, SessionCookie::Portal]
        .iter()
        .any(|cookie| [true, false].iter().any(|secure| req.cookie(cookie.name(*secure)).is_some()))
    {
        "session_rejected"
    } else {
        "no_token"
    }
}

/// The audit record of a refused request to `target` (a route pattern, so
/// that no secret of a path, such as an unsubscribe token, is stored).
fn refusal(status: u16, reason: String, method: &str, target: &str) -> Refusal {
    let action = match status {
        401 => "security.unauthenticated",
        403 => "security.permission_denied",
        _ => "security.rate_limited",
    };
    Refusal {
        action,
        reason,
        target_type: "route",
        target_id: format!("{method} {target}"),
        detail: serde_json::json!({"status": status}),
    }
}

fn observe(method: &str, route: &str, status: u16, started: Instant) {
    let status = status.to_string();
    HTTP_REQUESTS.with_label_values(&[method, route, &status]).inc();
    HTTP_DURATION.with_label_values(&[method, route, &status]).observe(started.elapsed().as_secs_f64());
}
