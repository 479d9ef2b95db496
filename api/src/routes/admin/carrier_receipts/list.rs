use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Carrier;
use ordertrack_shared::models::CarrierReceipt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReceiptsQuery {
    /// pending, processed or failed (default failed).
    pub status: Option<String>,
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

/// Carrier webhook receipts, failed ones by default.
#[utoipa::path(
    get, path = "/api/v1/admin/carrier-receipts", tag = "admin",
    params(ReceiptsQuery),
    responses((status = 200, description = "Receipts", body = Vec<ReceiptView>), (status = 403, description = "Staff only", body = ErrorBody)),
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
    let mut conn = state.conn().await?;
    let receipts = CarrierReceipt::list(&mut conn, Some(status), 100).await?;
    let views: Vec<ReceiptView> = receipts
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
    Ok(HttpResponse::Ok().json(views))
}
