//! What the shopper may ask for right now: the apps offer exactly this (a
//! date picker limited to the window, an address form while it can change),
//! and the request endpoints enforce the same rule.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use ordertrack_shared::models::{Order, Shipment};
use ordertrack_shared::orders::AvailableActions;
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::{Bearer, Guest};
use crate::routes::orders::load::{order_by_link, visible_order};
use crate::state::AppState;

async fn available(state: &AppState, conn: &mut AsyncPgConnection, order: &Order) -> Result<HttpResponse, ApiError> {
    let parcels = Shipment::for_order(conn, order.id).await?;
    let actions =
        AvailableActions::for_order(order, &parcels, Utc::now().date_naive(), state.config.reschedule_window_days);
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(actions))
}

/// The actions available on an order (its owner, or staff).
#[utoipa::path(
    get, path = "/api/v1/orders/{id}/actions", tag = "customer actions",
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        Bearer,
        (status = 200, description = "What may be asked for now, and why not", body = AvailableActions),
        (status = 404, description = "No such order, or not yours", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/actions")]
pub async fn order_actions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::RequestDeliveryChange)?;
    let mut conn = state.conn().await?;
    let order = visible_order(&conn, &principal, *id).await?;
    available(&state, &mut conn, &order).await
}

/// The same for guests, through the tracking link's code. Rate limited per
/// client IP.
#[utoipa::path(
    get, path = "/api/v1/tracking/{code}/actions", tag = "customer actions",
    params(("code" = String, Path, description = "The code from the tracking link")),
    responses(
        Guest,
        (status = 200, description = "What may be asked for now, and why not", body = AvailableActions),
        (status = 404, description = "No such link", body = ErrorBody),
    )
)]
#[get("/tracking/{code}/actions")]
pub async fn guest_actions(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let order = order_by_link(&state, &req, &mut conn, &code).await?;
    available(&state, &mut conn, &order).await
}
