use actix_web::{get, web, HttpResponse};
use ordertrack_shared::models::PortalSession;

use super::view::PortalSessionView;
use crate::auth::{Credential, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// The web app's session: who is signed in, their language and time zone,
/// and the CSRF token for writes. 401 when the cookie is missing or the
/// session ended.
#[utoipa::path(
    get, path = "/api/v1/portal/session", tag = "web app",
    responses(
        Bearer,
        (status = 200, description = "The session", body = PortalSessionView),
        (status = 404, description = "Signed in with an API token, not a session cookie", body = ErrorBody),
    ),
    security(("session_cookie" = []))
)]
#[get("/portal/session")]
pub async fn get_portal_session(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    if principal.credential != Credential::PortalSession {
        return Err(ApiError::NotFound("session"));
    }
    let mut conn = state.conn().await?;
    let session = PortalSession::find(&mut conn, principal.token_id).await?;
    let view = PortalSessionView::load(&state, &mut conn, &session).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(view))
}
