use actix_web::{get, web, HttpRequest, HttpResponse};
use ordertrack_shared::templates::format_date;
use serde::Serialize;

use crate::errors::ApiError;
use crate::openapi::responses::Guest;
use crate::routes::orders::load::order_by_link;
use crate::routes::tracking::lookup::tracking_view;
use crate::state::AppState;

#[derive(Serialize)]
struct Parcel {
    carrier: String,
    tracking_number: String,
    status: String,
    url: String,
}

#[derive(Serialize)]
struct Entry {
    when: String,
    title: String,
    location: Option<String>,
}

#[derive(Serialize)]
struct Page {
    locale: String,
    order_number: String,
    status_text: String,
    estimated_delivery: String,
    parcels: Vec<Parcel>,
    timeline: Vec<Entry>,
}

/// The shopper's tracking page: where every message's link leads. The code
/// in the link is the proof (no login); newest events first, in the order's
/// language. Rate limited per client IP.
#[utoipa::path(
    get, path = "/t/{code}", tag = "tracking",
    params(("code" = String, Path, description = "The code from the tracking link")),
    responses(
        Guest,
        (status = 200, description = "HTML page", content_type = "text/html"),
        (status = 404, description = "No such link"),
    )
)]
#[get("/t/{code}")]
pub async fn tracking_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let order = order_by_link(&state, &req, &mut conn, &code).await?;
    let view = tracking_view(&mut conn, &order).await?;
    let locale = order.locale;
    let page = Page {
        locale: locale.to_string(),
        order_number: view.order_number,
        status_text: view.status_text,
        estimated_delivery: view.estimated_delivery_at.map(|at| format_date(at, locale)).unwrap_or_default(),
        parcels: view
            .shipments
            .into_iter()
            .map(|s| Parcel {
                carrier: s.carrier.display_name().to_owned(),
                tracking_number: s.tracking_number,
                status: s.tracking_status.replace('_', " "),
                url: s.tracking_url,
            })
            .collect(),
        timeline: view
            .timeline
            .into_iter()
            .rev()
            .map(|e| Entry {
                when: format!("{} {}", format_date(e.occurred_at, locale), e.occurred_at.format("%H:%M UTC")),
                title: e.title,
                location: e.location,
            })
            .collect(),
    };
    let html = state.renderer.render_page("tracking.html", &page).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(html))
}
