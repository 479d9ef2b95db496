//! Bearer-token authentication and the permission table: which roles may call
//! which endpoint, in one place.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use ordertrack_shared::domain::Role;
use ordertrack_shared::models::ApiToken;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::state::AppState;

/// Every authenticated action of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    CreateOrder,
    ReadOrder,
    ListOrders,
    ChangeOrderStatus,
    AddShipment,
    /// Mint, list and revoke API tokens.
    ManageTokens,
    /// A customer's own preferences, phone and devices.
    ManageOwnProfile,
    ReadNotifications,
    /// Reschedule, address change, support message about an order.
    RequestDeliveryChange,
    ReadAudit,
    ManageWorkflow,
    ManageTemplates,
    /// Customer-service tools: search orders, message customers, resolve requests.
    ServeCustomers,
    ReplayNotification,
}

impl Permission {
    /// The roles allowed to take this action. Ownership (a customer only
    /// reaches their own orders) is checked on top of this.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::CreateOrder => &[Service, Admin],
            Permission::ReadOrder | Permission::ListOrders => &[Customer, Csr, Admin, Service],
            Permission::RequestDeliveryChange => &[Customer, Csr, Admin],
            Permission::ChangeOrderStatus | Permission::AddShipment => &[Csr, Admin, Service],
            Permission::ManageTokens
            | Permission::ReplayNotification
            | Permission::ReadAudit
            | Permission::ManageWorkflow
            | Permission::ManageTemplates => &[Admin],
            Permission::ServeCustomers => &[Csr, Admin],
            Permission::ManageOwnProfile => &[Customer],
            Permission::ReadNotifications => &[Csr, Admin],
        }
    }
}

/// The caller, from a valid `Authorization: Bearer` token.
#[derive(Debug, Clone)]
pub struct Principal {
    pub token_id: Uuid,
    pub role: Role,
    /// Set for customers: the only customer whose orders they may see.
    pub customer_id: Option<Uuid>,
    pub label: String,
}

impl Principal {
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if permission.roles().contains(&self.role) {
            Ok(())
        } else {
            tracing::info!(token = %self.token_id, role = %self.role, ?permission, "permission denied");
            Err(ApiError::Forbidden)
        }
    }

    /// Whether the caller may see an order owned by `owner`. Customers get a
    /// 404 for other people's orders, never a 403 that would confirm they exist.
    pub fn can_see(&self, owner: Option<Uuid>) -> bool {
        self.role.sees_all_orders() || (self.customer_id.is_some() && self.customer_id == owner)
    }

    /// The customer behind a customer token.
    pub fn customer(&self) -> Result<Uuid, ApiError> {
        self.customer_id.ok_or(ApiError::Forbidden)
    }

    /// How the caller appears in history and audit rows.
    pub fn actor(&self) -> String {
        format!("{}:{} ({})", self.role, self.token_id, self.label)
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// Authenticates the bearer token against Postgres on every request (no
/// cache: a revoked or expired token is refused by every replica from its next
/// request), counts the token's rate window (`TOKEN_RATE_PER_MINUTE`, the
/// state goes to the middleware for the `RateLimit-*` headers), notes the
/// use (`last_used_at`, at most once a minute) and leaves the principal in
/// the request's extensions for the audit of a refusal.
impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::Internal("app state missing".into()))?;
            let secret = bearer(&req).ok_or(ApiError::Unauthorized)?;
            let mut conn = state.conn().await?;
            let token = ApiToken::authenticate(&mut conn, &secret).await?.ok_or_else(|| {
                tracing::info!("rejected bearer token");
                ApiError::Unauthorized
            })?;
            let principal = Principal {
                token_id: token.id,
                role: token.role,
                customer_id: token.customer_id,
                label: token.label.clone(),
            };
            req.extensions_mut().insert(principal.clone());
            let limit = state.config.token_rate_per_minute;
            if let Some((window, exceeded)) = state.rate_limiter.hit("token", &token.id.to_string(), limit, 60).await {
                req.extensions_mut().insert(window);
                if exceeded {
                    tracing::info!(token = %token.id, "token rate limit hit");
                    return Err(ApiError::TooManyRequests { retry_after: window.reset, limit });
                }
            }
            let now = chrono::Utc::now();
            if token.last_use_is_stale(now) {
                if let Err(e) = ApiToken::touch(&mut conn, token.id, now).await {
                    tracing::warn!(token = %token.id, error = %e, "could not record the token's use");
                }
            }
            Ok(principal)
        })
    }
}
