use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use super::body::{create, CustomerRequestBody, CustomerRequestView};
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::routes::orders::load::visible_order;
use crate::state::AppState;

/// Ask to reschedule, change the address, or contact support about an
/// order (its owner, or staff on their behalf). Queued for customer service.
#[utoipa::path(
    post, path = "/api/v1/orders/{id}/requests", tag = "customer actions",
    params(("id" = Uuid, Path, description = "Order id")),
    request_body = CustomerRequestBody,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Recorded: an address change is applied, the rest wait for customer service", body = CustomerRequestView),
        (status = 404, description = "No such order, or not yours", body = ErrorBody),
        (status = 409, description = "Too late (out for delivery, delivered, closed)", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/requests")]
pub async fn create_customer_request(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::RequestDeliveryChange)?;
    let body: CustomerRequestBody = json::body(payload, state.config.max_body_bytes).await?;
    let mut conn = state.conn().await?;
    let order = visible_order(&conn, &principal, *id).await?;
    let (actor, role, window) = (principal.actor(), principal.role.to_string(), state.config.reschedule_window_days);
    let _ = &req;
    let (request, notifications) = conn
        .transaction::<_, ApiError, _>(async |conn| create(conn, &order, &body, &actor, &role, window).await)
        .await?;
    state.enqueuer.after_commit(&notifications).await;
    Ok(HttpResponse::Created().json(CustomerRequestView::from(&request)))
}
