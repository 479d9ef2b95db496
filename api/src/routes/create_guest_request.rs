use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::models::Order;

use super::customer_request_body::{create, CustomerRequestBody, CustomerRequestView};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::state::AppState;

/// The same requests for guests, through the tracking link's code.
/// Rate limited per client IP.
#[utoipa::path(
    post, path = "/api/v1/tracking/{code}/requests", tag = "customer actions",
    params(("code" = String, Path, description = "The code from the tracking link")),
    request_body = CustomerRequestBody,
    responses(
        (status = 201, description = "Received; customer service handles it", body = CustomerRequestView),
        (status = 404, description = "No such link", body = ErrorBody),
        (status = 409, description = "Too late", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    )
)]
#[post("/tracking/{code}/requests")]
pub async fn create_guest_request(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let ip = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    state.rate_limiter.check("tracking", &ip, state.config.tracking_rate_per_minute, 60).await?;
    let body: CustomerRequestBody = json::body(payload, state.config.max_body_bytes).await?;
    let mut conn = state.conn().await?;
    let order = match Order::find_by_tracking_code(&mut conn, &code).await {
        Ok(order) => order,
        Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("order")),
        Err(e) => return Err(e.into()),
    };
    let actor = format!("guest via tracking link ({ip})");
    let window = state.config.reschedule_window_days;
    let (request, notifications) = conn
        .transaction::<_, ApiError, _>(async |conn| create(conn, &order, &body, &actor, "guest", window).await)
        .await?;
    state.enqueuer.push_notifications(&notifications).await;
    Ok(HttpResponse::Created().json(CustomerRequestView::from(&request)))
}
