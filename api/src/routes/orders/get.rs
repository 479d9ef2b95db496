use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use futures::TryFutureExt;
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
#[get("")]
pub async fn get_order(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<LocaleQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadOrder)?;
    let requested = locale::requested(&req, query.locale.as_deref())?;
    let conn = state.conn().await?;
    // One round trip: both reads are pipelined; the shipments of an order
    // the caller may not see are read and dropped.
    let (order, shipments) =
        futures::try_join!(visible_order(&conn, &principal, *id), Shipment::for_order(&conn, *id).err_into())?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, format!("\"{}\"", order.version))).json(OrderView::new(
        &order,
        &shipments,
        requested.unwrap_or(order.locale),
    )))
}
