use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::{StaffPasswordLink, StaffSession, StaffUser};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::audit;
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Guest, JsonBody};
use crate::staff::password;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStaffPassword {
    /// The code of the set-password link (`/console/set-password/{token}`).
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    /// 12 to 256 characters.
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
}

/// Set one's password from the single-use link `api staff create` printed
/// or an admin made. Every session of the person ends, and a locked account
/// opens. Rate limited per client IP.
#[utoipa::path(
    post, path = "/api/v1/staff/password", tag = "staff",
    request_body = SetStaffPassword,
    responses(
        Guest,
        JsonBody,
        (status = 204, description = "Password set; sign in with it"),
        (status = 401, description = "`invalid_link`: unknown, used or expired", body = ErrorBody),
        (status = 422, description = "A password we do not accept", body = ErrorBody),
    )
)]
#[post("/staff/password")]
pub async fn set_staff_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let ip = crate::client_ip::client_key(&req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("staff-sign-in", &ip, state.config.staff.sign_in_rate_per_minute, 60).await?;
    let body: SetStaffPassword = json::body(payload, state.config.max_body_bytes).await?;
    // The password's length is checked before the link is spent.
    password::check(&body.password, "")?;
    let mut conn = state.conn().await?;
    let invalid = || ApiError::SignIn { code: "invalid_link", message: "this link is unknown, used or expired".into() };
    let user_id = StaffPasswordLink::redeem(&mut conn, body.token.trim()).await?.ok_or_else(invalid)?;
    let user = StaffUser::find(&mut conn, user_id).await?;
    if user.disabled_at.is_some() {
        return Err(invalid());
    }
    password::check(&body.password, &user.email)?;
    let hash = password::hash(body.password).await?;
    StaffUser::set_password_hash(&mut conn, user.id, &hash).await?;
    StaffSession::end_all_of(&mut conn, user.id, "password set").await?;
    audit::record(&mut conn, audit::staff_event(&user, &req, "staff.password_set")).await;
    Ok(HttpResponse::NoContent().finish())
}
