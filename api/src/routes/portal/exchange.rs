use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::{PortalLink, PortalSession, SessionLifetime};
use serde::Deserialize;
use utoipa::ToSchema;

use super::view::PortalSessionView;
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Guest, JsonBody};
use crate::session::{self, SessionCookie};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenPortalSession {
    /// The code of the link from `POST /api/v1/portal-sessions` (`/portal/{code}`).
    #[schema(min_length = 1, max_length = 200)]
    pub code: String,
}

/// The web app trades a sign-in link for a session: the answer sets an
/// HttpOnly session cookie and gives the CSRF token for writes. The link
/// works once. Only from the app's own pages (`Origin`), so no other site
/// can sign a browser in to someone else's session. Rate limited per client
/// IP; a bad code counts as a failed authentication.
#[utoipa::path(
    post, path = "/api/v1/portal/session", tag = "web app",
    request_body = OpenPortalSession,
    responses(
        Guest,
        JsonBody,
        (status = 201, description = "Signed in; `Set-Cookie` holds the session", body = PortalSessionView,
         headers(("Set-Cookie" = String, description = "The HttpOnly, SameSite=Lax session cookie"))),
        (status = 401, description = "The link is unknown, used or expired", body = ErrorBody),
        (status = 403, description = "Not from the app's own origin", body = ErrorBody),
    )
)]
#[post("/portal/session")]
pub async fn open_portal_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let ip = crate::client_ip::client_key(&req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("portal", &ip, state.config.tracking_rate_per_minute, 60).await?;
    let body: OpenPortalSession = json::body(payload, state.config.max_body_bytes).await?;
    if !session::origin_allowed(&req, &state) {
        return Err(ApiError::CsrfRefused);
    }
    let mut conn = state.conn().await?;
    let grant = PortalLink::redeem(&mut conn, body.code.trim()).await?.ok_or_else(|| {
        tracing::info!("rejected portal link");
        ApiError::Unauthorized
    })?;
    let portal = &state.config.portal;
    let lifetime = SessionLifetime {
        idle: chrono::Duration::from_std(portal.session_idle).unwrap_or(chrono::Duration::MAX),
        max: chrono::Duration::from_std(portal.session_max).unwrap_or(chrono::Duration::MAX),
    };
    let (started, secret) = PortalSession::start(&mut conn, &grant, lifetime).await?;
    tracing::info!(session = %started.id, customer = %started.customer_id, "web app session started");
    let view = PortalSessionView::load(&state, &mut conn, &started).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .cookie(SessionCookie::Portal.cookie(state.config.secure_cookies, secret, lifetime.max.num_seconds()))
        .json(view))
}
