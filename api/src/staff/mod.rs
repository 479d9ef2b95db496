//! Staff accounts for the console: people sign in with a password (argon2id)
//! and, when enabled or required, a TOTP code; machines keep API tokens.
//! The routes are in `routes/staff/` (one's own session, password, second
//! factor) and `routes/admin/staff/` (accounts and sessions, admins only).

pub mod password;
pub mod view;

use actix_web::HttpRequest;
use ordertrack_shared::domain::Role;
use ordertrack_shared::models::StaffSession;

use crate::auth::{Credential, Principal};
use crate::errors::ApiError;
use crate::session;
use crate::state::AppState;

/// Paths an admin who must still enrol a second factor may use.
const ENROLMENT_PATHS: [&str; 3] = ["/api/v1/staff/session", "/api/v1/staff/totp", "/api/v1/staff/totp/confirm"];

/// The principal of a console session cookie: the person, by role. Writes
/// need the CSRF checks; with `STAFF_REQUIRE_TOTP`, an admin without a
/// second factor may only enrol one.
pub async fn by_session(state: &AppState, req: &HttpRequest, secret: &str) -> Result<Principal, ApiError> {
    let mut conn = state.conn().await?;
    let (session, user) = StaffSession::authenticate(&mut conn, secret).await?.ok_or_else(|| {
        tracing::info!("rejected staff session cookie");
        ApiError::Unauthorized
    })?;
    if session::is_write(req.method()) {
        session::check_write(req, state, session.id)?;
    }
    if must_enrol_totp(state, user.role, user.totp_enabled()) && !ENROLMENT_PATHS.contains(&req.path()) {
        return Err(ApiError::Refused {
            code: "totp_setup_required",
            message: "admins must set up a second factor (TOTP) first".into(),
        });
    }
    let now = chrono::Utc::now();
    if session.renewal_due(now) {
        let idle = chrono::Duration::from_std(state.config.staff.session_idle).unwrap_or(chrono::Duration::MAX);
        if let Err(e) = StaffSession::renew(&mut conn, session.id, now, idle).await {
            tracing::warn!(session = %session.id, error = %e, "could not renew the staff session");
        }
    }
    Ok(Principal {
        token_id: user.id,
        role: user.role,
        customer_id: None,
        label: format!("{} <{}>", user.name, user.email),
        credential: Credential::StaffSession { session_id: session.id },
    })
}

/// Whether policy makes this person enrol TOTP before anything else.
pub fn must_enrol_totp(state: &AppState, role: Role, totp_enabled: bool) -> bool {
    state.config.staff.require_totp && role == Role::Admin && !totp_enabled
}
