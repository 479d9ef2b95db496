use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Role;
use ordertrack_shared::models::{StaffSession, StaffUser};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::state::AppState;

/// A staff account, without its secrets.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffUserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    /// `csr` or `admin`.
    pub role: Role,
    pub disabled: bool,
    pub totp_enabled: bool,
    /// Set once the person has chosen a password.
    pub password_set: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&StaffUser> for StaffUserView {
    fn from(u: &StaffUser) -> Self {
        StaffUserView {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role,
            disabled: u.disabled_at.is_some(),
            totp_enabled: u.totp_enabled(),
            password_set: u.password_hash.is_some(),
            last_sign_in_at: u.last_sign_in_at,
            created_at: u.created_at,
        }
    }
}

/// The signed-in person's console session.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffSessionView {
    pub user: StaffUserView,
    /// Send as `X-CSRF-Token` with every write.
    pub csrf_token: String,
    /// Policy requires a second factor this person has not set up: only
    /// the TOTP enrolment is open until then.
    pub totp_setup_required: bool,
    pub idle_expires_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl StaffSessionView {
    pub fn new(state: &AppState, session: &StaffSession, user: &StaffUser) -> Self {
        StaffSessionView {
            user: StaffUserView::from(user),
            csrf_token: state.signer.csrf_token(session.id),
            totp_setup_required: super::must_enrol_totp(state, user.role, user.totp_enabled()),
            idle_expires_at: session.idle_expires_at,
            expires_at: session.expires_at,
        }
    }
}

/// A console session, as an admin sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffSessionRow {
    pub id: Uuid,
    pub user: StaffUserView,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub idle_expires_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl StaffSessionRow {
    pub fn new(session: &StaffSession, user: &StaffUser) -> Self {
        StaffSessionRow {
            id: session.id,
            user: StaffUserView::from(user),
            ip: session.ip.clone(),
            created_at: session.created_at,
            last_used_at: session.last_used_at,
            idle_expires_at: session.idle_expires_at,
            expires_at: session.expires_at,
        }
    }
}
