use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::domain::{EmailAddress, Locale, OrderStatus};
use ordertrack_shared::i18n::{status_text, Tz};
use ordertrack_shared::models::{Order, Shipment};
use ordertrack_shared::orders::timeline_page::{PageEntries, PageRequest, DEFAULT_PAGE};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::locale::{self, LocaleQuery};
use crate::openapi::responses::{Guest, JsonBody};
use crate::state::AppState;
use crate::views::{ShipmentView, TimelineEntry};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackOrderRequest {
    #[schema(min_length = 1)]
    pub order_number: String,
    /// The email the order was placed with; or give `postal_code`.
    pub email: Option<String>,
    /// The shipping postal code; or give `email`.
    pub postal_code: Option<String>,
}

/// What a guest may see: no address, no contact details, no staff notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackingView {
    pub order_number: String,
    /// The code of the order's tracking link (`/t/{code}`), for following
    /// it live (`/api/v1/tracking/{code}/events`) and for its actions.
    pub tracking_code: String,
    pub status: OrderStatus,
    /// `status` in words, in the language asked for (else the order's).
    pub status_text: String,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    pub shipments: Vec<ShipmentView>,
    /// The latest 100 entries, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

fn normalize_postal_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase()
}

/// Whether the proof the guest gave matches the order.
fn proves_ownership(order: &Order, req: &TrackOrderRequest) -> bool {
    let email_ok = req.email.as_deref().is_some_and(|given| {
        let given = EmailAddress::parse(given).map(EmailAddress::into_inner).unwrap_or_default();
        order.contact_email.as_deref().is_some_and(|known| known.eq_ignore_ascii_case(&given))
    });
    let postal_ok = req.postal_code.as_deref().is_some_and(|given| {
        let given = normalize_postal_code(given);
        !given.is_empty() && given == normalize_postal_code(&order.ship_postal_code)
    });
    email_ok || postal_ok
}

/// Public tracking for guests: order number plus the email or postal code.
/// Any mismatch is the same 404, so it never tells which part was wrong.
/// Rate limited per client IP. Texts are in the language asked for.
#[utoipa::path(
    post, path = "/api/v1/tracking", tag = "tracking",
    params(LocaleQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    request_body = TrackOrderRequest,
    responses(
        Guest,
        JsonBody,
        (status = 200, description = "The order's progress", body = TrackingView),
        (status = 404, description = "No order matches", body = ErrorBody),
        (status = 422, description = "Neither email nor postal code, or a `locale` we do not write", body = ErrorBody),
    )
)]
#[post("/tracking")]
pub async fn track_order(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<LocaleQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let ip = crate::client_ip::client_key(&req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("tracking", &ip, state.config.tracking_rate_per_minute, 60).await?;
    let requested = locale::requested(&req, query.locale.as_deref())?;
    let request: TrackOrderRequest = json::body(payload, state.config.max_body_bytes).await?;
    if request.email.is_none() && request.postal_code.is_none() {
        return Err(ApiError::invalid("email", "give the order's email or its postal code"));
    }
    let mut conn = state.conn().await?;
    let order = match Order::find_by_number(&mut conn, request.order_number.trim()).await {
        Ok(order) if proves_ownership(&order, &request) => order,
        Ok(_) | Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("order")),
        Err(e) => return Err(e.into()),
    };
    let zone = locale::shopper_zone(&mut conn, order.customer_id, &order.ship_country).await?;
    Ok(HttpResponse::Ok().json(tracking_view(&mut conn, &order, requested.unwrap_or(order.locale), zone).await?))
}

/// The guest view of an order, written in `locale` with dates in `zone`.
pub async fn tracking_view(
    conn: &mut diesel_async::AsyncPgConnection,
    order: &Order,
    locale: Locale,
    zone: Tz,
) -> Result<TrackingView, ApiError> {
    let latest = PageRequest { newest_first: true, limit: DEFAULT_PAGE, after: None };
    let (_, entries) = PageEntries::load(conn, order.id, &latest, false).await?.ok_or(ApiError::NotFound("order"))?;
    let mut timeline = entries.page(&latest, false, locale, zone).entries;
    // Every parcel, however far back in the timeline it was added.
    let shipments = Shipment::for_order(conn, order.id).await?;
    timeline.reverse();
    Ok(TrackingView {
        order_number: order.order_number.clone(),
        tracking_code: order.tracking_code.clone(),
        status: order.status,
        status_text: status_text(order.status, locale).to_owned(),
        estimated_delivery_at: order.estimated_delivery_at,
        shipments: shipments.iter().map(|s| ShipmentView::new(s, locale)).collect(),
        timeline,
    })
}
