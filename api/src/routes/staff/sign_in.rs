use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::{Lockout, SessionLifetime, StaffSession, StaffUser};
use ordertrack_shared::totp;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::audit;
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Guest, JsonBody};
use crate::session::{self, SessionCookie};
use crate::staff::password;
use crate::staff::view::StaffSessionView;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffSignIn {
    #[schema(min_length = 1, max_length = 320)]
    pub email: String,
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
    /// The 6-digit code of the authenticator app, once TOTP is on.
    #[schema(pattern = "^[0-9]{6}$")]
    pub totp: Option<String>,
}

fn invalid() -> ApiError {
    ApiError::SignIn { code: "invalid_credentials", message: "wrong email or password".into() }
}

/// Sign in to the staff console. The answer sets an HttpOnly, SameSite=Strict
/// session cookie (30 minutes idle, 12 hours at most) and gives the CSRF
/// token for writes. A person with TOTP on gets `totp_required` until the
/// request carries a code. Five wrong passwords or codes in a row lock the
/// account for 15 minutes (`account_locked`, with `Retry-After`); attempts
/// are also limited per client IP. Every outcome is audited. Only from the
/// console's own origin.
#[utoipa::path(
    post, path = "/api/v1/staff/session", tag = "staff",
    request_body = StaffSignIn,
    responses(
        Guest,
        JsonBody,
        (status = 201, description = "Signed in; `Set-Cookie` holds the session", body = StaffSessionView,
         headers(("Set-Cookie" = String, description = "The HttpOnly, SameSite=Strict session cookie"))),
        (status = 401, description = "`invalid_credentials`, `totp_required` or `totp_invalid`", body = ErrorBody),
        (status = 403, description = "Not from the console's origin", body = ErrorBody),
        (status = 429, description = "`account_locked` (with `Retry-After`), or too many attempts from this address", body = ErrorBody),
    )
)]
#[post("/staff/session")]
pub async fn staff_sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let config = &state.config.staff;
    let ip = crate::client_ip::client_key(&req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("staff-sign-in", &ip, config.sign_in_rate_per_minute, 60).await?;
    let body: StaffSignIn = json::body(payload, state.config.max_body_bytes).await?;
    if !session::origin_allowed(&req, &state) {
        return Err(ApiError::CsrfRefused);
    }
    let mut conn = state.conn().await?;
    let user = StaffUser::find_by_email(&mut conn, &body.email).await?.filter(|u| u.disabled_at.is_none());
    // Unknown people and wrong passwords take as long and answer the same.
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let now = chrono::Utc::now();
    let locked = user.as_ref().and_then(|u| u.locked_at(now));
    let password_ok = password::verify(body.password.clone(), stored).await;
    let Some(user) = user else {
        tracing::info!("sign-in for an unknown or disabled staff email");
        return Err(invalid());
    };
    if let Some(until) = locked {
        audit::record(&mut conn, audit::staff_event(&user, &req, "staff.sign_in_locked")).await;
        return Err(ApiError::AccountLocked { retry_after: (until - now).num_seconds().max(1) as u64 });
    }
    if !password_ok {
        return Err(failed(&state, &mut conn, &req, &user, "wrong_password", invalid()).await);
    }
    if let (Some(sealed), Some(nonce), true) = (&user.totp_sealed, &user.totp_nonce, user.totp_enabled()) {
        let Some(code) = body.totp.as_deref() else {
            return Err(ApiError::SignIn {
                code: "totp_required",
                message: "enter the code of your authenticator app".into(),
            });
        };
        let secret = totp::unseal(&state.config.app_secret, sealed, nonce);
        let step = totp::verify(&secret, code, now.timestamp(), user.totp_last_step);
        let used = match step {
            Some(step) => StaffUser::use_totp_step(&mut conn, user.id, step).await?,
            None => false,
        };
        if !used {
            let error = ApiError::SignIn { code: "totp_invalid", message: "that code is wrong or already used".into() };
            return Err(failed(&state, &mut conn, &req, &user, "wrong_totp", error).await);
        }
    }
    StaffUser::record_sign_in(&mut conn, user.id).await?;
    let lifetime = SessionLifetime {
        idle: chrono::Duration::from_std(config.session_idle).unwrap_or(chrono::Duration::MAX),
        max: chrono::Duration::from_std(config.session_max).unwrap_or(chrono::Duration::MAX),
    };
    let client = audit::ip_of(&req);
    let (started, secret) = StaffSession::start(&mut conn, user.id, client.as_deref(), lifetime).await?;
    audit::record(&mut conn, audit::staff_event(&user, &req, "staff.signed_in")).await;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .cookie(SessionCookie::Staff.cookie(state.config.secure_cookies, secret, lifetime.max.num_seconds()))
        .json(StaffSessionView::new(&state, &started, &user)))
}

/// Counts a failed attempt against the account (locking it at the limit)
/// and audits it; returns what to answer.
async fn failed(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    req: &HttpRequest,
    user: &StaffUser,
    reason: &str,
    error: ApiError,
) -> ApiError {
    let config = &state.config.staff;
    let lock_for = chrono::Duration::from_std(config.lockout_for).unwrap_or_default();
    let outcome = StaffUser::record_failure(conn, user.id, config.lockout_after, lock_for).await;
    let mut entry = audit::staff_event(user, req, "staff.sign_in_failed");
    entry.after = Some(serde_json::json!({"reason": reason}));
    match outcome {
        Ok(Lockout::Locked(until)) => {
            entry.action = "staff.locked".into();
            audit::record(conn, entry).await;
            let retry_after = (until - chrono::Utc::now()).num_seconds().max(1) as u64;
            ApiError::AccountLocked { retry_after }
        }
        Ok(Lockout::Counting(_)) => {
            audit::record(conn, entry).await;
            error
        }
        Err(e) => e.into(),
    }
}
