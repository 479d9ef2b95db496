use actix_web::{get, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::Order;

use super::track_order::{tracking_view, TrackingView};
use crate::errors::{ApiError, ErrorBody};
use crate::state::AppState;

/// Public tracking through the link in a message (`/t/{code}`): the random
/// code in it is the proof, so guests need not type their email. Rate
/// limited per client IP like the lookup form.
#[utoipa::path(
    get, path = "/api/v1/tracking/{code}", tag = "tracking",
    params(("code" = String, Path, description = "The code from the tracking link")),
    responses(
        (status = 200, description = "The order's progress", body = TrackingView),
        (status = 404, description = "No such link", body = ErrorBody),
        (status = 429, description = "Too many lookups", body = ErrorBody),
    )
)]
#[get("/tracking/{code}")]
pub async fn track_by_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ip = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    state.rate_limiter.check("tracking", &ip, state.config.tracking_rate_per_minute, 60).await?;
    if code.len() != 12 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::NotFound("order"));
    }
    let mut conn = state.conn().await?;
    let order = match Order::find_by_tracking_code(&mut conn, &code).await {
        Ok(order) => order,
        Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("order")),
        Err(e) => return Err(e.into()),
    };
    Ok(HttpResponse::Ok().json(tracking_view(&mut conn, &order).await?))
}
