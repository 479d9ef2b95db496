use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use ordertrack_shared::domain::Locale;
use ordertrack_shared::i18n::{format_date, format_datetime};
use serde::Serialize;

use crate::errors::ApiError;
use crate::locale::{shopper_zone, LocaleQuery};
use crate::openapi::responses::Guest;
use crate::routes::orders::load::order_by_link;
use crate::routes::tracking::lookup::tracking_view;
use crate::security_headers::{inline_style, policy_with_style};
use crate::state::AppState;
use crate::web_app;

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
    /// A carrier scan's own words, under our translated title.
    carrier_text: Option<String>,
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
/// language (or `?locale=`), times in the shopper's time zone. Rate limited
/// per client IP. It is the web app's page (which then shows the order
/// live) with this server-rendered order inside, so it reads the same
/// without JavaScript.
#[utoipa::path(
    get, path = "/t/{code}", tag = "tracking",
    params(("code" = String, Path, description = "The code from the tracking link"), LocaleQuery),
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
    query: web::Query<LocaleQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let order = order_by_link(&state, &req, &mut conn, &code).await?;
    // A page, not an API: a language we do not write shows the order's
    // rather than an error. The browser's Accept-Language is not asked:
    // the shopper chose their language when ordering.
    let locale = query.locale.as_deref().and_then(Locale::from_tag).unwrap_or(order.locale);
    let zone = shopper_zone(&mut conn, order.customer_id, &order.ship_country).await?;
    let view = tracking_view(&mut conn, &order, locale, zone).await?;
    let page = Page {
        locale: locale.to_string(),
        order_number: view.order_number,
        status_text: view.status_text,
        estimated_delivery: view.estimated_delivery_at.map(|at| format_date(at, locale, zone)).unwrap_or_default(),
        parcels: view
            .shipments
            .into_iter()
            .map(|s| Parcel {
                carrier: s.carrier.display_name().to_owned(),
                tracking_number: s.tracking_number,
                status: s.tracking_status_text,
                url: s.tracking_url,
            })
            .collect(),
        timeline: view
            .timeline
            .into_iter()
            .rev()
            .map(|e| Entry {
                when: format_datetime(e.occurred_at, locale, zone),
                title: e.title,
                carrier_text: e.carrier_text,
                location: e.location,
            })
            .collect(),
    };
    let fragment = state.renderer.render_page("tracking.html", &page).map_err(|e| ApiError::Internal(e.to_string()))?;
    let policy = policy_with_style(inline_style(&fragment).unwrap_or_default());
    let html = web_app::shell_with(&page.locale, &fragment).unwrap_or_else(|| standalone(&page, &fragment));
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .body(html))
}

/// The page on its own, when the web app was not built.
fn standalone(page: &Page, fragment: &str) -> String {
    // `locale` is one of ours and the order number passed our validation;
    // escaped anyway, as everything in a page is.
    let escape =
        |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title></head><body>{fragment}</body></html>",
        lang = escape(&page.locale),
        title = escape(&page.order_number),
    )
}
