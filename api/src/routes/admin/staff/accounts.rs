use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use ordertrack_shared::domain::{EmailAddress, Role};
use ordertrack_shared::models::{StaffPasswordLink, StaffSession, StaffUser};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::staff::view::StaffUserView;
use crate::state::AppState;
use crate::validate::text;

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub staff: Vec<StaffUserView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    #[schema(min_length = 3, max_length = 320)]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// `csr`, `admin` or `analyst` (analytics and exports, read-only).
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffCreated {
    pub user: StaffUserView,
    /// Give it to the person: it sets their password, once, within 72 hours.
    pub set_password_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordLink {
    pub set_password_url: String,
    pub expires_at: chrono::DateTime<Utc>,
}

/// A set-password link for `user_id`.
pub async fn password_link(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    user_id: Uuid,
) -> Result<PasswordLink, ApiError> {
    let expires_at = Utc::now() + chrono::Duration::from_std(state.config.staff.password_link_ttl).unwrap_or_default();
    let code = StaffPasswordLink::issue(conn, user_id, expires_at).await?;
    let base = state.config.public_base_url.trim_end_matches('/');
    Ok(PasswordLink { set_password_url: format!("{base}/console/set-password/{code}"), expires_at })
}

/// Every staff account.
#[utoipa::path(
    get, path = "/api/v1/admin/staff", tag = "staff",
    responses(Bearer, (status = 200, description = "Staff accounts", body = StaffList)),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[get("/admin/staff")]
pub async fn list_staff(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageStaff)?;
    let mut conn = state.conn().await?;
    let staff = StaffUser::list(&mut conn).await?;
    Ok(HttpResponse::Ok().json(StaffList { staff: staff.iter().map(StaffUserView::from).collect() }))
}

/// Create a staff account; the answer carries the person's set-password link.
#[utoipa::path(
    post, path = "/api/v1/admin/staff", tag = "staff",
    request_body = NewStaff,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Created", body = StaffCreated),
        (status = 409, description = "Someone has that email already", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[post("/admin/staff")]
pub async fn create_staff(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageStaff)?;
    let body: NewStaff = json::body(payload, state.config.max_body_bytes).await?;
    let email = EmailAddress::parse(&body.email).map_err(|e| ApiError::invalid("email", e.to_string()))?.into_inner();
    let name = text("name", &body.name, 200)?;
    let role = match body.role.as_str() {
        "csr" => Role::Csr,
        "admin" => Role::Admin,
        "analyst" => Role::Analyst,
        _ => return Err(ApiError::invalid("role", "role is csr, admin or analyst")),
    };
    let mut conn = state.conn().await?;
    if StaffUser::find_by_email(&mut conn, &email).await?.is_some() {
        return Err(ApiError::conflict("staff_exists", format!("{email} has an account already")));
    }
    let user = StaffUser::create(&mut conn, &email, &name, role, &principal.actor()).await?;
    let link = password_link(&state, &mut conn, user.id).await?;
    let mut entry = audit::entry(&principal, &req, "staff.created", "staff_user", &user.id.to_string());
    entry.after = Some(json!({"email": user.email, "name": user.name, "role": user.role}));
    audit::record(&mut conn, entry).await;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(StaffCreated { user: StaffUserView::from(&user), set_password_url: link.set_password_url }))
}

/// A new set-password link for a person (a forgotten password, a lost
/// link). Their password stays valid until they use it.
#[utoipa::path(
    post, path = "/api/v1/admin/staff/{id}/password-link", tag = "staff",
    params(("id" = Uuid, Path, description = "Staff user id")),
    responses(
        Bearer,
        (status = 201, description = "A single-use link", body = PasswordLink),
        (status = 404, description = "No such person", body = ErrorBody),
    ),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[post("/admin/staff/{id}/password-link")]
pub async fn new_password_link(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageStaff)?;
    let mut conn = state.conn().await?;
    let user = StaffUser::find(&mut conn, *id).await.map_err(|_| ApiError::NotFound("staff user"))?;
    let link = password_link(&state, &mut conn, user.id).await?;
    audit::record(&mut conn, audit::entry(&principal, &req, "staff.password_link", "staff_user", &user.id.to_string()))
        .await;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(link))
}

/// Disable a person: they cannot sign in, and their sessions end at once.
#[utoipa::path(
    post, path = "/api/v1/admin/staff/{id}/disable", tag = "staff",
    params(("id" = Uuid, Path, description = "Staff user id")),
    responses(
        Bearer,
        (status = 200, description = "Disabled", body = StaffUserView),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 409, description = "One cannot disable oneself", body = ErrorBody),
    ),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[post("/admin/staff/{id}/disable")]
pub async fn disable_staff(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageStaff)?;
    if principal.token_id == *id {
        return Err(ApiError::conflict("cannot_disable_self", "ask another admin to disable your account"));
    }
    let mut conn = state.conn().await?;
    StaffUser::find(&mut conn, *id).await.map_err(|_| ApiError::NotFound("staff user"))?;
    let user = StaffUser::disable(&mut conn, *id).await?;
    let ended = StaffSession::end_all_of(&mut conn, user.id, &principal.actor()).await?;
    let mut entry = audit::entry(&principal, &req, "staff.disabled", "staff_user", &user.id.to_string());
    entry.after = Some(json!({"disabled_at": user.disabled_at, "sessions_ended": ended}));
    audit::record(&mut conn, entry).await;
    Ok(HttpResponse::Ok().json(StaffUserView::from(&user)))
}
