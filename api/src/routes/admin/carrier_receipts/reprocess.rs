use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::jobs::{ProcessCarrierReceipt, Queue};
use ordertrack_shared::models::CarrierReceipt;
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Process a failed receipt again (after a fix to the mapping, say).
#[utoipa::path(
    post, path = "/api/v1/admin/carrier-receipts/{id}/reprocess", tag = "admin",
    params(("id" = Uuid, Path, description = "Receipt id")),
    responses(
        Bearer,
        (status = 202, description = "Queued"),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Already processed", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/admin/carrier-receipts/{id}/reprocess")]
pub async fn reprocess_carrier_receipt(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReplayNotification)?;
    let mut conn = state.conn().await?;
    if !CarrierReceipt::reset_failed(&mut conn, *id).await? {
        return match CarrierReceipt::status_of(&mut conn, *id).await? {
            Some(status) => Err(ApiError::conflict("not_failed", format!("the receipt is {status}"))),
            None => Err(ApiError::NotFound("receipt")),
        };
    }
    audit::record(
        &mut conn,
        audit::entry(&principal, &req, "carrier_receipt.reprocess", "carrier_receipt", &id.to_string()),
    )
    .await;
    drop(conn);
    let _ = state.enqueuer.push(Queue::CarrierEvents, ProcessCarrierReceipt { receipt_id: *id }, None).await;
    Ok(HttpResponse::Accepted().json(json!({"receipt_id": *id, "status": "pending"})))
}
