use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::load::visible_order;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::locale;
use crate::openapi::responses::Bearer;
use crate::state::AppState;
use crate::views::{TimelineEntry, TimelineSources};

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineOrder {
    #[default]
    Oldest,
    Newest,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    /// `oldest` (default) or `newest` first.
    pub order: Option<TimelineOrder>,
    /// The language of the titles: en, es, ro or ru. Wins over
    /// `Accept-Language`; without either, the order's language.
    pub locale: Option<String>,
}

/// Every status change and shipment event of an order, by when it happened.
/// Staff also see who made each change and their note. Titles are in the
/// language asked for, dates in them in the shopper's time zone.
#[utoipa::path(
    get, path = "/api/v1/orders/{id}/timeline", tag = "orders",
    params(("id" = Uuid, Path, description = "Order id"), TimelineQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Bearer,
        (status = 200, description = "The timeline", body = Vec<TimelineEntry>),
        (status = 404, description = "No such order, or not yours", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/orders/{id}/timeline")]
pub async fn get_order_timeline(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadOrder)?;
    let requested = locale::requested(&req, query.locale.as_deref())?;
    let mut conn = state.conn().await?;
    let order = visible_order(&mut conn, &principal, *id).await?;
    let zone = locale::shopper_zone(&mut conn, &order).await?;
    let sources = TimelineSources::load(&mut conn, order.id).await?;
    let mut entries = sources.timeline(principal.role.sees_all_orders(), requested.unwrap_or(order.locale), zone);
    if matches!(query.order.unwrap_or_default(), TimelineOrder::Newest) {
        entries.reverse();
    }
    Ok(HttpResponse::Ok().json(entries))
}
