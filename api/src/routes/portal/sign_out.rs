use actix_web::{delete, web, HttpResponse};
use ordertrack_shared::models::PortalSession;

use crate::auth::{Credential, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::session::SessionCookie;
use crate::state::AppState;

/// Signs out of the web app: the session ends on every replica and the
/// cookie is removed.
#[utoipa::path(
    delete, path = "/api/v1/portal/session", tag = "web app",
    responses(
        Bearer,
        (status = 204, description = "Signed out"),
        (status = 404, description = "Signed in with an API token, not a session cookie", body = ErrorBody),
    ),
    security(("session_cookie" = []))
)]
#[delete("/portal/session")]
pub async fn end_portal_session(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    if principal.credential != Credential::PortalSession {
        return Err(ApiError::NotFound("session"));
    }
    let mut conn = state.conn().await?;
    PortalSession::end(&mut conn, principal.token_id).await?;
    tracing::info!(session = %principal.token_id, "web app session ended");
    Ok(HttpResponse::NoContent().cookie(SessionCookie::Portal.removal(state.config.secure_cookies)).finish())
}
