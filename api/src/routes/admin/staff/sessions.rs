use actix_web::{delete, get, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::StaffSession;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::staff::view::StaffSessionRow;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffSessionList {
    /// Sessions still usable, most recently used first.
    pub sessions: Vec<StaffSessionRow>,
}

/// Everyone's console sessions that are still usable.
#[utoipa::path(
    get, path = "/api/v1/admin/staff-sessions", tag = "staff",
    responses(Bearer, (status = 200, description = "Sessions", body = StaffSessionList)),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[get("/admin/staff-sessions")]
pub async fn list_staff_sessions(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageStaff)?;
    let mut conn = state.conn().await?;
    let sessions = StaffSession::active(&mut conn).await?;
    Ok(HttpResponse::Ok().json(StaffSessionList {
        sessions: sessions.iter().map(|(session, user)| StaffSessionRow::new(session, user)).collect(),
    }))
}

/// End anyone's console session: their next request is refused (401).
#[utoipa::path(
    delete, path = "/api/v1/admin/staff-sessions/{id}", tag = "staff",
    params(("id" = Uuid, Path, description = "Session id")),
    responses(
        Bearer,
        (status = 204, description = "Ended (now or before)"),
        (status = 404, description = "No such session", body = ErrorBody),
    ),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[delete("/admin/staff-sessions/{id}")]
pub async fn end_any_staff_session(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageStaff)?;
    let mut conn = state.conn().await?;
    let session = StaffSession::find(&mut conn, *id).await.map_err(|_| ApiError::NotFound("session"))?;
    if StaffSession::end(&mut conn, session.id, &principal.actor()).await? {
        let mut entry = audit::entry(&principal, &req, "staff.session_ended", "staff_session", &session.id.to_string());
        entry.after = Some(serde_json::json!({"user_id": session.user_id}));
        audit::record(&mut conn, entry).await;
    }
    Ok(HttpResponse::NoContent().finish())
}
