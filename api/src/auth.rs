//! Authentication (a bearer token, or the web app's session cookie) and the
//! permission table: which roles may call which endpoint, in one place.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use ordertrack_shared::domain::Role;
use ordertrack_shared::models::{ApiToken, PortalSession};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::session::{self, SessionCookie};
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
    /// Issue web app sign-in links for a storefront's shoppers.
    OpenPortal,
    /// Create and disable staff accounts, see and end their sessions.
    ManageStaff,
    /// Analytics roll-ups and raw exports (read-only).
    ReadAnalytics,
}

impl Permission {
    /// The roles allowed to take this action. Ownership (a customer only
    /// reaches their own orders) is checked on top of this.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::CreateOrder => &[Service, Admin],
            Permission::OpenPortal => &[Service],
            Permission::ReadOrder | Permission::ListOrders => &[Customer, Csr, Admin, Service],
            Permission::RequestDeliveryChange => &[Customer, Csr, Admin],
            Permission::ChangeOrderStatus | Permission::AddShipment => &[Csr, Admin, Service],
            Permission::ManageTokens
            | Permission::ReplayNotification
            | Permission::ReadAudit
            | Permission::ManageWorkflow
            | Permission::ManageTemplates
            | Permission::ManageStaff => &[Admin],
            Permission::ServeCustomers => &[Csr, Admin],
            Permission::ManageOwnProfile => &[Customer],
            Permission::ReadNotifications => &[Csr, Admin],
            Permission::ReadAnalytics => &[Analyst, Admin],
        }
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// An API token (`Authorization: Bearer`, or a stream ticket minted with one).
    Token,
    /// The shopper's web app session cookie (`POST /portal/session`).
    PortalSession,
    /// The staff console's session cookie (`POST /staff/session`); the
    /// principal's `token_id` is the person's id.
    StaffSession { session_id: Uuid },
}

/// The caller, from a valid `Authorization: Bearer` token or session cookie.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The API token's id, the portal session's, or the staff person's.
    pub token_id: Uuid,
    pub role: Role,
    /// Set for customers: the only customer whose orders they may see.
    pub customer_id: Option<Uuid>,
    pub label: String,
    pub credential: Credential,
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

/// Authenticates the bearer token (or, without one, the session cookie):
/// sessions against Postgres on every request; tokens through the replica's
/// cache, which a revocation reaches on every replica before its next
/// request (`ordertrack_shared::cache`; at worst `CACHE_TTL_MS` if Redis
/// lost the announcement) and which checks expiry at every use,
/// counts the caller's rate window (`TOKEN_RATE_PER_MINUTE`, the state goes
/// to the middleware for the `RateLimit-*` headers), notes the use (at most
/// once a minute) and leaves the principal in the request's extensions for
/// the audit of a refusal. A write made with the cookie must pass the CSRF
/// checks (`session::check_write`).
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
            let principal = match bearer(&req) {
                Some(secret) => by_token(&state, &secret).await?,
                None => {
                    let secure = state.config.secure_cookies;
                    match (SessionCookie::Staff.secret(&req, secure), SessionCookie::Portal.secret(&req, secure)) {
                        (Some(secret), _) => crate::staff::by_session(&state, &req, &secret).await?,
                        (None, Some(secret)) => by_session(&state, &req, &secret).await?,
                        (None, None) => return Err(ApiError::Unauthorized),
                    }
                }
            };
            req.extensions_mut().insert(principal.clone());
            let limit = state.config.token_rate_per_minute;
            let key = principal.token_id.to_string();
            if let Some((window, exceeded)) = state.rate_limiter.hit("token", &key, limit, 60).await {
                req.extensions_mut().insert(window);
                if exceeded {
                    tracing::info!(token = %key, "token rate limit hit");
                    return Err(ApiError::TooManyRequests { retry_after: window.reset, limit });
                }
            }
            Ok(principal)
        })
    }
}

async fn by_token(state: &AppState, secret: &str) -> Result<Principal, ApiError> {
    let mut conn = state.conn().await?;
    let token = ApiToken::authenticate(&mut conn, secret).await?.ok_or_else(|| {
        tracing::info!("rejected bearer token");
        ApiError::Unauthorized
    })?;
    let now = chrono::Utc::now();
    if token.last_use_is_stale(now) {
        match ApiToken::touch(&mut conn, token.id, now).await {
            Ok(_) => ApiToken::note_use(secret, &token, now),
            Err(e) => tracing::warn!(token = %token.id, error = %e, "could not record the token's use"),
        }
    }
    Ok(Principal {
        token_id: token.id,
        role: token.role,
        customer_id: token.customer_id,
        label: token.label,
        credential: Credential::Token,
    })
}

async fn by_session(state: &AppState, req: &HttpRequest, secret: &str) -> Result<Principal, ApiError> {
    let mut conn = state.conn().await?;
    let session = PortalSession::authenticate(&mut conn, secret).await?.ok_or_else(|| {
        tracing::info!("rejected session cookie");
        ApiError::Unauthorized
    })?;
    if session::is_write(req.method()) {
        session::check_write(req, state, session.id)?;
    }
    let now = chrono::Utc::now();
    if session.renewal_due(now) {
        let idle = chrono::Duration::from_std(state.config.portal.session_idle).unwrap_or(chrono::Duration::MAX);
        if let Err(e) = PortalSession::renew(&mut conn, session.id, now, idle).await {
            tracing::warn!(session = %session.id, error = %e, "could not renew the session");
        }
    }
    Ok(Principal {
        token_id: session.id,
        role: Role::Customer,
        customer_id: Some(session.customer_id),
        label: "web app".into(),
        credential: Credential::PortalSession,
    })
}
