use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::Shipment;
use uuid::Uuid;

use super::load::visible_order;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::locale::{self, LocaleQuery};
use crate::openapi::responses::Bearer;
use crate::state::AppState;
use crate::views::OrderView;

/// One order with its shipments, texts in the language asked for. The
/// `ETag` is the order's version.
#[utoipa::path(
    get, path = "/api/v1/orders/{id}", tag = "orders",
    params(("id" = Uuid, Path, description = "Order id"), LocaleQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Bearer,
        (status = 200, description = "The order", body = OrderView),
        (status = 404, description = "No such order, or not yours", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/orders/{id}")]
pub async fn get_order(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<LocaleQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadOrder)?;
    let requested = locale::requested(&req, query.locale.as_deref())?;
    let mut conn = state.conn().await?;
    let order = visible_order(&mut conn, &principal, *id).await?;
    let shipments = Shipment::for_order(&mut conn, order.id).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, format!("\"{}\"", order.version))).json(OrderView::new(
        &order,
        &shipments,
        requested.unwrap_or(order.locale),
    )))
}
