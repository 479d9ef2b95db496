use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{Carrier, Role};
use ordertrack_shared::models::{NewOrderEvent, NewShipment, Order};
use ordertrack_shared::orders::timeline::TimelineEntry;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::locale;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;
use crate::views::ShipmentView;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShipmentRequest {
    pub carrier: Carrier,
    pub tracking_number: String,
}

/// Attach a parcel to an order. Answers with the carrier's public tracking URL.
#[utoipa::path(
    post, path = "/api/v1/orders/{id}/shipments", tag = "orders",
    params(("id" = Uuid, Path, description = "Order id"), ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts")),
    request_body = CreateShipmentRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Created", body = ShipmentView),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "This tracking number is already registered", body = ErrorBody),
        (status = 422, description = "Tracking number does not fit the carrier", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/shipments")]
pub async fn create_shipment(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::AddShipment)?;
    let body: CreateShipmentRequest = json::body(payload, state.config.max_body_bytes).await?;
    let tracking_number = body
        .carrier
        .parse_tracking_number(&body.tracking_number)
        .map_err(|e| ApiError::invalid("tracking_number", e.to_string()))?;
    let mut conn = state.conn().await?;
    let order = match Order::find(&conn, *id).await {
        Ok(order) => order,
        Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("order")),
        Err(e) => return Err(e.into()),
    };
    let new_shipment = NewShipment { id: Uuid::now_v7(), order_id: order.id, carrier: body.carrier, tracking_number };
    let shipment = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let shipment = new_shipment.insert(conn).await.map_err(|e| match e {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                    ApiError::conflict("shipment_exists", "this carrier and tracking number are already registered")
                }
                other => other.into(),
            })?;
            NewOrderEvent::append(conn, &[TimelineEntry::shipment_added(&shipment).event_for(&order)]).await?;
            Ok(shipment)
        })
        .await?;
    state.enqueuer.announce_events().await;
    if matches!(principal.role, Role::Admin | Role::Csr) {
        audit::record(&mut conn, audit::entry(&principal, &req, "shipment.create", "order", &order.id.to_string()))
            .await;
    }
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/orders/{}", order.id)))
        .json(ShipmentView::new(&shipment, locale::accepted(&req).unwrap_or(order.locale))))
}
