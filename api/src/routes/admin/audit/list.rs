use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::models::{AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Permission, Principal};
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Part of the actor.
    pub actor: Option<String>,
    /// An action or a prefix (e.g. `security.`).
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// Any JSON value (an object, or a list such as the workflow's steps).
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditView>,
    pub next_cursor: Option<i64>,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        AuditView {
            id: e.id,
            actor: e.actor,
            role: e.role,
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            before: e.before,
            after: e.after,
            request_id: e.request_id,
            ip: e.ip,
            created_at: e.created_at,
        }
    }
}

/// The audit log, newest first. It is append-only: no endpoint changes it,
/// and the database refuses updates and deletes.
#[utoipa::path(
    get, path = "/api/v1/admin/audit", tag = "admin",
    params(AuditQuery),
    responses(
        Bearer,
        (status = 200, description = "One page", body = AuditPage),
    ),
    security(("bearer" = []))
)]
#[get("/admin/audit")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadAudit)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::bad_request("invalid_query", "limit must be between 1 and 200", Some("limit")));
    }
    let filter = AuditFilter {
        actor: query.actor.clone(),
        action: query.action.clone(),
        target_type: query.target_type.clone(),
        target_id: query.target_id.clone(),
        since: query.since,
        until: query.until,
        before_id: query.cursor,
    };
    let mut conn = state.conn().await?;
    let mut entries = AuditEntry::search(&mut conn, &filter, limit + 1).await?;
    let next_cursor = if entries.len() as i64 > limit {
        entries.truncate(limit as usize);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(AuditPage { entries: entries.into_iter().map(AuditView::from).collect(), next_cursor }))
}
