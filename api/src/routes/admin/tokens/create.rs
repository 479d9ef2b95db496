use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Role;
use ordertrack_shared::models::{ApiToken, Customer, NewAuditEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::ApiError;
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

/// The longest lifetime `expires_in_days` may ask for.
const MAX_DAYS: u32 = 36_500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    pub role: Role,
    /// Required for the customer role: the storefront's id of the customer.
    pub customer_external_id: Option<String>,
    /// What the token is for, e.g. "storefront prod".
    #[schema(min_length = 1, max_length = 100)]
    pub label: String,
    /// Lifetime in days (at most 100 years); default: no expiry. Not with `expires_at`.
    #[schema(minimum = 1, maximum = 36500)]
    pub expires_in_days: Option<u32>,
    /// When the token stops working (in the future); default: never. Not
    /// with `expires_in_days`.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: Uuid,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    /// Shown once; only its hash is stored.
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Mint a bearer token (admin), optionally expiring. Audited (`token.mint`).
#[utoipa::path(
    post, path = "/api/v1/tokens", tag = "auth",
    request_body = CreateTokenRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Created; the secret is in `token`", body = CreatedToken),
    ),
    security(("bearer" = []))
)]
#[post("/tokens")]
pub async fn create_token(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTokens)?;
    let body: CreateTokenRequest = json::body(payload, state.config.max_body_bytes).await?;
    let label = body.label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(ApiError::invalid("label", "label must be 1 to 100 characters"));
    }
    let now = Utc::now();
    let expires_at = match (body.expires_in_days, body.expires_at) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid("expires_at", "give expires_at or expires_in_days, not both"))
        }
        // Bounded so that the date stays representable (a larger count panicked in chrono).
        (Some(days), None) if !(1..=MAX_DAYS).contains(&days) => {
            return Err(ApiError::invalid("expires_in_days", format!("expires_in_days must be 1 to {MAX_DAYS}")))
        }
        (Some(days), None) => Some(now + chrono::Duration::days(i64::from(days))),
        (None, Some(at)) if at <= now => {
            return Err(ApiError::invalid("expires_at", "expires_at must be in the future"))
        }
        (None, at) => at,
    };
    let mut conn = state.conn().await?;
    let customer_id = match (body.role, body.customer_external_id.as_deref()) {
        (Role::Customer, Some(external_id)) => match Customer::find_by_external_id(&mut conn, external_id).await {
            Ok(customer) => Some(customer.id),
            Err(diesel::result::Error::NotFound) => {
                return Err(ApiError::invalid("customer_external_id", "no customer with this external id"))
            }
            Err(e) => return Err(e.into()),
        },
        (Role::Customer, None) => {
            return Err(ApiError::invalid("customer_external_id", "a customer token needs customer_external_id"))
        }
        (_, Some(_)) => {
            return Err(ApiError::invalid("customer_external_id", "only customer tokens belong to a customer"))
        }
        (_, None) => None,
    };
    let (token, secret) = ApiToken::mint(&mut conn, body.role, customer_id, label, expires_at).await?;
    let entry = audit::entry(&principal, &req, "token.mint", "api_token", &token.id.to_string());
    let after = serde_json::json!({
        "role": token.role,
        "customer_id": token.customer_id,
        "label": token.label,
        "expires_at": token.expires_at,
    });
    audit::record(&mut conn, NewAuditEntry { after: Some(after), ..entry }).await;
    tracing::info!(by = %principal.token_id, token = %token.id, role = %token.role, "token minted");
    Ok(HttpResponse::Created().json(CreatedToken {
        id: token.id,
        role: token.role,
        customer_id: token.customer_id,
        token: secret,
        expires_at: token.expires_at,
    }))
}
