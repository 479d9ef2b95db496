use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::CustomerRequest;
use uuid::Uuid;

use super::body::CustomerRequestView;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Take an open request on (customer service): the queue shows who has it,
/// so two people do not answer the same shopper. Claiming one someone else
/// holds takes it over; both are audited.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/claim", tag = "customer service",
    params(("id" = Uuid, Path, description = "Request id")),
    responses(
        Bearer,
        (status = 200, description = "Claimed", body = CustomerRequestView),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
    ),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[post("/requests/{id}/claim")]
pub async fn claim_customer_request(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ServeCustomers)?;
    let mut conn = state.conn().await?;
    let claimed = CustomerRequest::claim(&mut conn, *id, &principal.actor()).await?;
    let Some(request) = claimed else {
        return Err(if CustomerRequest::exists(&mut conn, *id).await? {
            ApiError::conflict("request_closed", "the request is already closed")
        } else {
            ApiError::NotFound("request")
        });
    };
    let entry = audit::entry(&principal, &req, "request.claimed", "customer_request", &request.id.to_string());
    audit::record(&mut conn, entry).await;
    Ok(HttpResponse::Ok().json(CustomerRequestView::from(&request)))
}
