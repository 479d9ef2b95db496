use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;

use super::body::{create, CustomerRequestBody, CustomerRequestView};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Guest, JsonBody};
use crate::routes::orders::load::order_by_link;
use crate::state::AppState;

/// The same requests for guests, through the tracking link's code.
/// Rate limited per client IP.
#[utoipa::path(
    post, path = "/api/v1/tracking/{code}/requests", tag = "customer actions",
    params(("code" = String, Path, description = "The code from the tracking link")),
    request_body = CustomerRequestBody,
    responses(
        Guest,
        JsonBody,
        (status = 201, description = "Recorded: an address change is applied, the rest wait for customer service", body = CustomerRequestView),
        (status = 404, description = "No such link", body = ErrorBody),
        (status = 409, description = "Too late, or the order is closed", body = ErrorBody),
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
    let mut conn = state.conn().await?;
    let order = order_by_link(&state, &req, &mut conn, &code).await?;
    let body: CustomerRequestBody = json::body(payload, state.config.max_body_bytes).await?;
    let ip = crate::client_ip::client_key(&req, &state.config.webhooks.trusted_proxies);
    let actor = format!("guest via tracking link ({ip})");
    let window = state.config.reschedule_window_days;
    let (request, notifications) = conn
        .transaction::<_, ApiError, _>(async |conn| create(conn, &order, &body, &actor, "guest", window).await)
        .await?;
    state.enqueuer.after_commit(&notifications).await;
    Ok(HttpResponse::Created().json(CustomerRequestView::from(&request)))
}
