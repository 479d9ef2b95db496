use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::NotificationEvent;
use ordertrack_shared::models::{CustomerRequest, NewAuditEntry, NewOrderEvent, Order};
use ordertrack_shared::notify::notify_order;
use ordertrack_shared::orders::timeline::TimelineEntry;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::body::CustomerRequestView;
use super::outcome;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// resolved or rejected.
    #[schema(pattern = "^(resolved|rejected)$")]
    pub status: String,
    /// The reply to the shopper: sent to them in the outcome message and
    /// shown on their timeline.
    #[schema(min_length = 1, max_length = 2000)]
    pub resolution: String,
}

/// Close a customer request (customer service). Resolving a reschedule
/// applies the agreed date (the parcel's and order's estimate; delay
/// detection holds to it); the shopper is told the outcome either way.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/resolve", tag = "customer service",
    params(("id" = Uuid, Path, description = "Request id")),
    request_body = Resolution,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "Closed", body = CustomerRequestView),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Already closed, or the parcel can no longer be rescheduled", body = ErrorBody),
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
    let (request, notifications) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let Some(request) =
                CustomerRequest::close(conn, *id, &body.status, &resolution, &principal.actor()).await?
            else {
                return Err(if CustomerRequest::exists(conn, *id).await? {
                    ApiError::conflict("closed", "this request is already closed")
                } else {
                    ApiError::NotFound("request")
                });
            };
            let order = Order::find_for_update(conn, request.order_id).await?;
            let (order, notice) = outcome::apply(conn, &order, &request).await?;
            let resolved = TimelineEntry::request_resolved(&request, &principal.actor());
            NewOrderEvent::append(conn, &[resolved.event_for(&order)]).await?;
            let after = json!({"status": body.status, "resolution": resolution});
            NewAuditEntry { before: Some(json!({"status": "open"})), after: Some(after), ..entry }.insert(conn).await?;
            let occasion = format!("resolved-{}", request.id);
            let notifications =
                notify_order(conn, &order, NotificationEvent::RequestResolved, &occasion, notice).await?;
            Ok((request, notifications))
        })
        .await?;
    state.enqueuer.after_commit(&notifications).await;
    Ok(HttpResponse::Ok().json(CustomerRequestView::from(&request)))
}
