use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Carrier;
use ordertrack_shared::models::CarrierReceipt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::cursor;
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReceiptsQuery {
    /// pending, processed or failed (default failed).
    pub status: Option<String>,
    /// 1 to 100, default 50.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    pub id: Uuid,
    pub carrier: Carrier,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub received_at: DateTime<Utc>,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptPage {
    pub receipts: Vec<ReceiptView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Carrier webhook receipts of one status (failed ones by default), newest
/// first, paginated by cursor.
#[utoipa::path(
    get, path = "/api/v1/admin/carrier-receipts", tag = "admin",
    params(ReceiptsQuery),
    responses(
        Bearer,
        (status = 200, description = "One page", body = ReceiptPage),
    ),
    security(("bearer" = []))
)]
#[get("/admin/carrier-receipts")]
pub async fn list_carrier_receipts(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<ReceiptsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadNotifications)?;
    let status = query.status.as_deref().unwrap_or("failed");
    if !["pending", "processed", "failed"].contains(&status) {
        return Err(ApiError::bad_request("invalid_query", "status is pending, processed or failed", Some("status")));
    }
    let limit = query.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("invalid_query", "limit must be between 1 and 100", Some("limit")));
    }
    let after = query.cursor.as_deref().map(cursor::decode).transpose()?;
    let mut conn = state.conn().await?;
    let mut rows = CarrierReceipt::list(&mut conn, Some(status), after, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor::encode(r.received_at, r.id))
    } else {
        None
    };
    let receipts: Vec<ReceiptView> = rows
        .into_iter()
        .map(|r| ReceiptView {
            id: r.id,
            carrier: r.carrier,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            received_at: r.received_at,
            body: r.body,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ReceiptPage { receipts, next_cursor }))
}
