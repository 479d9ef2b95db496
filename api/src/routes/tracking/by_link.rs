use actix_web::{get, web, HttpRequest, HttpResponse};

use super::lookup::{tracking_view, TrackingView};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Guest;
use crate::routes::orders::load::order_by_link;
use crate::state::AppState;

/// Public tracking through the link in a message (`/t/{code}`): the random
/// code in it is the proof, so guests need not type their email. Rate
/// limited per client IP like the lookup form.
#[utoipa::path(
    get, path = "/api/v1/tracking/{code}", tag = "tracking",
    params(("code" = String, Path, description = "The code from the tracking link")),
    responses(
        Guest,
        (status = 200, description = "The order's progress", body = TrackingView),
        (status = 404, description = "No such link", body = ErrorBody),
    )
)]
#[get("/tracking/{code}")]
pub async fn track_by_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let order = order_by_link(&state, &req, &mut conn, &code).await?;
    Ok(HttpResponse::Ok().json(tracking_view(&mut conn, &order).await?))
}
