//! Who is opening a stream, and on what terms. Browsers cannot send an
//! `Authorization` header with `EventSource` or `WebSocket`, so a stream
//! accepts a bearer token (header only: long-lived tokens never go in a
//! URL), a single-use stream ticket (`?ticket=`) issued for exactly this
//! stream, or the web app's session cookie.

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use ordertrack_shared::domain::Locale;
use ordertrack_shared::models::StreamTicket;
use uuid::Uuid;

use crate::auth::{Credential, Principal};
use crate::errors::ApiError;
use crate::live::hub::{Follow, Refusal, Subscription, Viewer};
use crate::live::sse::{self, StreamPlan};
use crate::session::SessionCookie;
use crate::state::AppState;

/// What a ticket must have been issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketScope {
    Order(Uuid),
    Me,
    Admin,
    Ws,
}

impl TicketScope {
    fn accepts(self, scope: &str, order_id: Option<Uuid>) -> bool {
        match self {
            TicketScope::Order(id) => scope == "order" && order_id == Some(id),
            TicketScope::Me => scope == "me",
            TicketScope::Admin => scope == "admin",
            TicketScope::Ws => scope == "ws",
        }
    }
}

/// The caller, from a bearer header or a ticket for `scope`; `None` when
/// neither was given. A bad, used, expired or mismatched ticket is 401.
pub async fn caller(
    state: &AppState,
    req: &HttpRequest,
    ticket: Option<&str>,
    scope: TicketScope,
) -> Result<Option<Principal>, ApiError> {
    if req.headers().contains_key(actix_web::http::header::AUTHORIZATION) {
        return Principal::extract(req).await.map(Some);
    }
    let Some(ticket) = ticket else {
        let secure = state.config.secure_cookies;
        let cookies = [SessionCookie::Staff, SessionCookie::Portal];
        if cookies.iter().all(|cookie| cookie.secret(req, secure).is_none()) {
            return Ok(None);
        }
        // A stale cookie leaves a guest stream a guest stream.
        return match Principal::extract(req).await {
            Err(ApiError::Unauthorized) => Ok(None),
            other => other.map(Some),
        };
    };
    let mut conn = state.conn().await?;
    let redeemed = StreamTicket::redeem(&mut conn, ticket).await?;
    match redeemed.filter(|t| scope.accepts(&t.scope, t.order_id)) {
        Some(t) => {
            let principal = Principal {
                token_id: t.token.id,
                role: t.token.role,
                customer_id: t.token.customer_id,
                label: t.token.label,
                credential: Credential::Token,
            };
            // The actor of a refusal's audit row (`audit::refusal`).
            req.extensions_mut().insert(principal.clone());
            Ok(Some(principal))
        }
        None => {
            tracing::info!("rejected stream ticket");
            Err(ApiError::Unauthorized)
        }
    }
}

/// Like [`caller`], but someone must be signed in.
pub async fn signed_in(
    state: &AppState,
    req: &HttpRequest,
    ticket: Option<&str>,
    scope: TicketScope,
) -> Result<Principal, ApiError> {
    caller(state, req, ticket, scope).await?.ok_or(ApiError::Unauthorized)
}

/// How a connection counts against the limits.
pub fn viewer(
    state: &AppState,
    req: &HttpRequest,
    principal: Option<&Principal>,
    guest_key: &str,
    kind: &'static str,
    locale: Option<Locale>,
) -> Viewer {
    let ip = crate::client_ip::client_key(req, &state.config.webhooks.trusted_proxies);
    Viewer {
        staff: principal.is_some_and(|p| p.role.sees_all_orders()),
        locale,
        principal: principal.map_or_else(|| format!("guest:{guest_key}"), |p| p.token_id.to_string()),
        ip,
        kind,
    }
}

/// Registers the client with this replica's hub, within the limits.
pub fn register(state: &AppState, follow: Follow, viewer: Viewer) -> Result<Subscription, ApiError> {
    state.hub.subscribe(follow, viewer).map_err(|refusal| match refusal {
        Refusal::PerPrincipal(limit) | Refusal::PerIp(limit) => {
            ApiError::TooManyRequests { retry_after: 5, limit: limit as u32 }
        }
        Refusal::Full | Refusal::NotReady => ApiError::Unavailable,
    })
}

/// Where a reconnecting client left off: `Last-Event-ID`, else `last_event_id`.
pub fn resume_after(req: &HttpRequest, query: Option<i64>) -> Result<Option<i64>, ApiError> {
    match req.headers().get("Last-Event-ID") {
        Some(value) => {
            value.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|id| *id >= 0).map(Some).ok_or_else(
                || ApiError::bad_request("invalid_header", "Last-Event-ID must be an event id", Some("Last-Event-ID")),
            )
        }
        None => Ok(query),
    }
}

/// Registers the client and answers with its event stream.
pub fn open_sse(
    state: &web::Data<AppState>,
    follow: Follow,
    viewer: Viewer,
    resume: Option<i64>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let (staff, locale) = (viewer.staff, viewer.locale);
    let subscription = register(state, follow.clone(), viewer)?;
    let plan = StreamPlan { follow, staff, resume_after: resume, locale };
    Ok(sse::respond(subscription, plan, state.db.clone()))
}
