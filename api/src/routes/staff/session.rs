use actix_web::{delete, get, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::{StaffSession, StaffUser};
use uuid::Uuid;

use crate::audit;
use crate::auth::{Credential, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::session::SessionCookie;
use crate::staff::view::StaffSessionView;
use crate::state::AppState;

/// The console session of the caller (a staff cookie).
pub fn session_of(principal: &Principal) -> Result<Uuid, ApiError> {
    match principal.credential {
        Credential::StaffSession { session_id } => Ok(session_id),
        _ => Err(ApiError::NotFound("session")),
    }
}

/// Who is signed in to the console, and the CSRF token for writes. 401
/// when the cookie is missing or the session ended.
#[utoipa::path(
    get, path = "/api/v1/staff/session", tag = "staff",
    responses(
        Bearer,
        (status = 200, description = "The session", body = StaffSessionView),
        (status = 404, description = "Signed in with an API token or the shopper's cookie, not a console session", body = ErrorBody),
    ),
    security(("staff_cookie" = []))
)]
#[get("/staff/session")]
pub async fn get_staff_session(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    let session_id = session_of(&principal)?;
    let mut conn = state.conn().await?;
    let session = StaffSession::find(&mut conn, session_id).await?;
    let user = StaffUser::find(&mut conn, principal.token_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(StaffSessionView::new(&state, &session, &user)))
}

/// Sign out of the console: the session ends on every replica and the
/// cookie is removed.
#[utoipa::path(
    delete, path = "/api/v1/staff/session", tag = "staff",
    responses(
        Bearer,
        (status = 204, description = "Signed out"),
        (status = 404, description = "Not a console session", body = ErrorBody),
    ),
    security(("staff_cookie" = []))
)]
#[delete("/staff/session")]
pub async fn end_staff_session(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let session_id = session_of(&principal)?;
    let mut conn = state.conn().await?;
    StaffSession::end(&mut conn, session_id, &principal.actor()).await?;
    let entry = audit::entry(&principal, &req, "staff.signed_out", "staff_session", &session_id.to_string());
    audit::record(&mut conn, entry).await;
    Ok(HttpResponse::NoContent().cookie(SessionCookie::Staff.removal(state.config.secure_cookies)).finish())
}
