//! How a token is shown: never its secret, never its hash.

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Role;
use ordertrack_shared::models::ApiToken;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: Uuid,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    pub label: String,
    pub status: TokenStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the token was last accepted, to the minute; absent if never used.
    pub last_used_at: Option<DateTime<Utc>>,
}

impl TokenView {
    pub fn new(token: ApiToken, now: DateTime<Utc>) -> Self {
        let status = if token.revoked_at.is_some() {
            TokenStatus::Revoked
        } else if token.expires_at.is_some_and(|at| at <= now) {
            TokenStatus::Expired
        } else {
            TokenStatus::Active
        };
        TokenView {
            id: token.id,
            role: token.role,
            customer_id: token.customer_id,
            label: token.label,
            status,
            created_at: token.created_at,
            expires_at: token.expires_at,
            revoked_at: token.revoked_at,
            last_used_at: token.last_used_at,
        }
    }
}
