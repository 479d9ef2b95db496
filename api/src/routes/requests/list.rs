use actix_web::{get, web, HttpResponse};
use ordertrack_shared::models::CustomerRequest;

use super::body::CustomerRequestView;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::state::AppState;

/// Open customer requests, oldest first: customer service's queue.
#[utoipa::path(
    get, path = "/api/v1/requests", tag = "customer actions",
    responses((status = 200, description = "Open requests", body = Vec<CustomerRequestView>), (status = 403, description = "Staff only", body = ErrorBody)),
    security(("bearer" = []))
)]
#[get("/requests")]
pub async fn list_customer_requests(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadNotifications)?;
    let mut conn = state.conn().await?;
    let open = CustomerRequest::open(&mut conn, 200).await?;
    Ok(HttpResponse::Ok().json(open.iter().map(CustomerRequestView::from).collect::<Vec<_>>()))
}
