use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use ordertrack_shared::models::{CustomerRequest, NewAuditEntry};
use ordertrack_shared::schema::customer_requests;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::body::CustomerRequestView;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// resolved or rejected.
    pub status: String,
    /// What was done (shown to staff).
    pub resolution: String,
}

/// Close a customer request (customer service).
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/resolve", tag = "customer service",
    params(("id" = Uuid, Path, description = "Request id")),
    request_body = Resolution,
    responses(
        (status = 200, description = "Closed", body = CustomerRequestView),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/requests/{id}/resolve")]
pub async fn resolve_customer_request(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ServeCustomers)?;
    let body: Resolution = json::body(payload, state.config.max_body_bytes).await?;
    if !["resolved", "rejected"].contains(&body.status.as_str()) {
        return Err(ApiError::invalid("status", "status is resolved or rejected"));
    }
    let resolution = body.resolution.trim().to_owned();
    if resolution.is_empty() || resolution.chars().count() > 2000 {
        return Err(ApiError::invalid("resolution", "resolution must be 1 to 2000 characters"));
    }
    let entry = audit::entry(&principal, &req, "customer_request.resolve", "customer_request", &id.to_string());
    let mut conn = state.conn().await?;
    let request = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let updated: Option<CustomerRequest> =
                diesel::update(customer_requests::table.find(*id).filter(customer_requests::status.eq("open")))
                    .set((
                        customer_requests::status.eq(&body.status),
                        customer_requests::resolution.eq(&resolution),
                        customer_requests::updated_at.eq(diesel::dsl::now),
                    ))
                    .returning(CustomerRequest::as_returning())
                    .get_result(conn)
                    .await
                    .optional()?;
            let Some(request) = updated else {
                let exists: i64 = customer_requests::table.find(*id).count().get_result(conn).await?;
                return Err(if exists > 0 {
                    ApiError::conflict("closed", "this request is already closed")
                } else {
                    ApiError::NotFound("request")
                });
            };
            let after = json!({"status": body.status, "resolution": resolution});
            NewAuditEntry { before: Some(json!({"status": "open"})), after: Some(after), ..entry }.insert(conn).await?;
            Ok(request)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CustomerRequestView::from(&request)))
}
