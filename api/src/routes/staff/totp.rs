use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::StaffUser;
use ordertrack_shared::totp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::session::session_of;
use crate::audit;
use crate::auth::Principal;
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// The shared secret, base32, for typing into an authenticator app.
    pub secret: String,
    /// The same as an `otpauth://` URI (what a QR code would carry).
    pub otpauth_url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmTotp {
    /// A code the app shows for the new secret.
    #[schema(pattern = "^[0-9]{6}$")]
    pub code: String,
}

/// Start setting up a second factor (TOTP, RFC 6238): a new secret for the
/// authenticator app. It takes effect once a code from it is confirmed; a
/// second factor already on stays until then.
#[utoipa::path(
    post, path = "/api/v1/staff/totp", tag = "staff",
    responses(
        Bearer,
        (status = 201, description = "A new secret to confirm", body = TotpEnrolment),
        (status = 404, description = "Not a console session", body = ErrorBody),
    ),
    security(("staff_cookie" = []))
)]
#[post("/staff/totp")]
pub async fn start_totp(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    session_of(&principal)?;
    let mut conn = state.conn().await?;
    let user = StaffUser::find(&mut conn, principal.token_id).await?;
    let secret = totp::new_secret();
    let (sealed, nonce) = totp::seal(&state.config.app_secret, &secret);
    StaffUser::stage_totp(&mut conn, user.id, &sealed, &nonce).await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(TotpEnrolment {
        secret: totp::base32(&secret),
        otpauth_url: totp::otpauth_uri("ordertrack", &user.email, &secret),
    }))
}

/// Turn the second factor on with a code from the new secret; from the
/// next sign-in on, the console asks for a code.
#[utoipa::path(
    post, path = "/api/v1/staff/totp/confirm", tag = "staff",
    request_body = ConfirmTotp,
    responses(
        Bearer,
        JsonBody,
        (status = 204, description = "TOTP is on"),
        (status = 404, description = "Not a console session", body = ErrorBody),
        (status = 409, description = "No secret waiting to be confirmed", body = ErrorBody),
        (status = 422, description = "Not the code of the new secret", body = ErrorBody),
    ),
    security(("staff_cookie" = []))
)]
#[post("/staff/totp/confirm")]
pub async fn confirm_totp(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    session_of(&principal)?;
    let body: ConfirmTotp = json::body(payload, state.config.max_body_bytes).await?;
    let mut conn = state.conn().await?;
    let user = StaffUser::find(&mut conn, principal.token_id).await?;
    let (Some(sealed), Some(nonce), false) = (&user.totp_sealed, &user.totp_nonce, user.totp_enabled()) else {
        return Err(ApiError::conflict("no_totp_pending", "start the setup first (POST /api/v1/staff/totp)"));
    };
    let secret = totp::unseal(&state.config.app_secret, sealed, nonce);
    let step = totp::verify(&secret, &body.code, chrono::Utc::now().timestamp(), None)
        .ok_or_else(|| ApiError::invalid("code", "that is not the current code of the new secret"))?;
    StaffUser::enable_totp(&mut conn, user.id, step).await?;
    audit::record(&mut conn, audit::entry(&principal, &req, "staff.totp_enabled", "staff_user", &user.id.to_string()))
        .await;
    Ok(HttpResponse::NoContent().finish())
}
