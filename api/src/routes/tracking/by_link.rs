use actix_web::{get, web, HttpRequest, HttpResponse};

use super::lookup::{tracking_view, TrackingView};
use crate::errors::{ApiError, ErrorBody};
use crate::locale::{self, LocaleQuery};
use crate::openapi::responses::Guest;
use crate::routes::orders::load::order_by_link;
use crate::state::AppState;

/// Public tracking through the link in a message (`/t/{code}`): the random
/// code in it is the proof, so guests need not type their email. Rate
/// limited per client IP like the lookup form. Texts are in the language
/// asked for.
#[utoipa::path(
    get, path = "/api/v1/tracking/{code}", tag = "tracking",
    params(("code" = String, Path, description = "The code from the tracking link"), LocaleQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Guest,
        (status = 200, description = "The order's progress", body = TrackingView),
        (status = 404, description = "No such link", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
    )
)]
#[get("/tracking/{code}")]
pub async fn track_by_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    query: web::Query<LocaleQuery>,
) -> Result<HttpResponse, ApiError> {
    let requested = locale::requested(&req, query.locale.as_deref())?;
    let mut conn = state.conn().await?;
    let order = order_by_link(&state, &req, &mut conn, &code).await?;
    let zone = locale::shopper_zone(&mut conn, order.customer_id, &order.ship_country).await?;
    Ok(HttpResponse::Ok().json(tracking_view(&mut conn, &order, requested.unwrap_or(order.locale), zone).await?))
}
