//! The one error type of the API, rendered as
//! `{"error": code, "message": ..., "field": ...}`. A 5xx never carries its cause.
//!
//! Which variant to use:
//! - `BadRequest` (400): the request cannot be read: bad JSON, a wrong type,
//!   an unknown field, a malformed header or parameter.
//! - `Invalid` (422, via [`ApiError::invalid`]): well-formed, but a value
//!   breaks a rule; always name the field.
//! - `NotFound` (404): also for what exists but is not the caller's: never
//!   tell a stranger that an order exists.
//! - `Conflict` (409): the state does not allow it now (a duplicate, a
//!   transition the workflow refuses); `details` says what would be allowed.
//! - `PreconditionFailed` (412): `If-Match`/`version` is stale.
//! - `Unavailable` (503): a dependency is down; the client may retry.
//! - `Internal` (500): a bug; the cause is logged, never sent.
//!
//! Errors of the shared library convert here (`From` impls at the end of
//! this file), so handlers can use `?` on them.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use ordertrack_shared::db::DbPoolError;
use ordertrack_shared::orders::{CreateOrderError, StatusChangeError, TransitionError};
use serde::Serialize;
use serde_json::{json, Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed input: bad JSON, wrong type, unknown field, bad parameter.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String, field: Option<String> },
    /// Well-formed but invalid: a value that breaks a rule.
    #[error("{message}")]
    Invalid { code: &'static str, message: String, field: Option<String> },
    #[error("authentication required")]
    Unauthorized,
    #[error("this role may not do that")]
    Forbidden,
    /// A console sign-in that did not pass: `invalid_credentials`,
    /// `totp_required`, `totp_invalid`, `invalid_link`.
    #[error("{message}")]
    SignIn { code: &'static str, message: String },
    /// Too many wrong passwords: the account waits `retry_after` seconds.
    #[error("too many failed sign-ins: the account is locked, retry in {retry_after} s")]
    AccountLocked { retry_after: u64 },
    /// Allowed by role but not now, for a stated reason (`totp_setup_required`).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    /// A write with the session cookie lacked its page's `Origin` or
    /// `X-CSRF-Token`.
    #[error("a write signed in by cookie needs this site's Origin and the session's X-CSRF-Token header")]
    CsrfRefused,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict { code: &'static str, message: String, details: Map<String, Value> },
    #[error("the order was changed by someone else (now at version {current_version})")]
    PreconditionFailed { current_version: i32 },
    #[error("request body exceeds {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("too many requests, retry in {retry_after} s")]
    TooManyRequests { retry_after: u64, limit: u32 },
    #[error("service temporarily unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>, field: Option<&str>) -> Self {
        ApiError::BadRequest { code, message: message.into(), field: field.map(str::to_owned) }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid { code: "invalid_field", message: message.into(), field: Some(field.to_owned()) }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Conflict { code, message: message.into(), details: Map::new() }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Invalid { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::SignIn { code, .. }
            | ApiError::Refused { code, .. } => code,
            ApiError::AccountLocked { .. } => "account_locked",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::CsrfRefused => "csrf_failed",
            ApiError::NotFound(_) => "not_found",
            ApiError::PreconditionFailed { .. } => "version_mismatch",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::TooManyRequests { .. } => "rate_limited",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

/// The error body, as documented in the OpenAPI spec.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable machine-readable code.
    pub error: String,
    /// A sentence for humans.
    pub message: String,
    /// The offending field (JSON path or parameter name), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized | ApiError::SignIn { .. } => StatusCode::UNAUTHORIZED,
            ApiError::AccountLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Refused { .. } => StatusCode::FORBIDDEN,
            ApiError::Forbidden | ApiError::CsrfRefused => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = Map::new();
        body.insert("error".into(), self.code().into());
        body.insert("message".into(), self.to_string().into());
        match self {
            ApiError::BadRequest { field: Some(field), .. } | ApiError::Invalid { field: Some(field), .. } => {
                body.insert("field".into(), field.clone().into());
            }
            ApiError::Conflict { details, .. } => body.extend(details.clone()),
            ApiError::PreconditionFailed { current_version } => {
                body.insert("current_version".into(), (*current_version).into());
            }
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::Unavailable => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            ApiError::AccountLocked { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::TooManyRequests { retry_after, limit } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
                response.insert_header(("RateLimit-Limit", limit.to_string()));
                response.insert_header(("RateLimit-Remaining", "0"));
                response.insert_header(("RateLimit-Reset", retry_after.to_string()));
            }
            _ => {}
        }
        response.json(Value::Object(body))
    }
}

impl From<DieselError> for ApiError {
    fn from(e: DieselError) -> Self {
        match &e {
            DieselError::NotFound => ApiError::NotFound("resource"),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => ApiError::conflict(
                "already_exists",
                format!("already exists ({})", info.constraint_name().unwrap_or("unique key")),
            ),
            // The database went away mid-request (restart, failover): an
            // outage the client may retry, not a bug.
            e if ordertrack_shared::db::is_outage(e) => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::Unavailable
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<DbPoolError> for ApiError {
    fn from(e: DbPoolError) -> Self {
        tracing::warn!(error = %e, "database pool unavailable");
        ApiError::Unavailable
    }
}

impl From<StatusChangeError> for ApiError {
    fn from(e: StatusChangeError) -> Self {
        match e {
            StatusChangeError::NotFound => ApiError::NotFound("order"),
            StatusChangeError::StaleVersion { current } => ApiError::PreconditionFailed { current_version: current },
            StatusChangeError::Refused(TransitionError::NotAllowed { from, to, allowed }) => {
                let mut details = Map::new();
                details.insert("current_status".into(), json!(from));
                details.insert("allowed".into(), json!(allowed));
                ApiError::Conflict {
                    code: "invalid_transition",
                    message: format!("cannot move an order from {from} to {to}"),
                    details,
                }
            }
            StatusChangeError::Refused(refused @ TransitionError::RoleRefused { .. }) => ApiError::Conflict {
                code: "transition_not_permitted",
                message: refused.to_string(),
                details: Map::new(),
            },
            StatusChangeError::Db(e) => e.into(),
        }
    }
}

impl From<CreateOrderError> for ApiError {
    fn from(e: CreateOrderError) -> Self {
        match e {
            CreateOrderError::Exists(number) => {
                ApiError::conflict("order_exists", format!("order {number} already exists"))
            }
            CreateOrderError::Db(e) => e.into(),
        }
    }
}
