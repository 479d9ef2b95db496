use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::access::{open_sse, resume_after, viewer};
use crate::errors::{ApiError, ErrorBody};
use crate::live::event::LiveEventBody;
use crate::live::hub::Follow;
use crate::locale;
use crate::openapi::responses::Guest;
use crate::routes::orders::load::order_by_link;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GuestStreamQuery {
    /// Resume after this event id (the `Last-Event-ID` header wins).
    pub last_event_id: Option<i64>,
    /// The language of the entries: en, es, ro or ru. Wins over
    /// `Accept-Language`; without either, each order's language.
    pub locale: Option<String>,
}

/// Live events of the order behind a tracking link, for guests (no token:
/// the link's code is the credential). Server-Sent Events, as
/// `/orders/{id}/events`; staff-only details are never included.
#[utoipa::path(
    get, path = "/api/v1/tracking/{code}/events", tag = "live",
    params(("code" = String, Path, description = "The tracking link's code"), GuestStreamQuery,
           ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event"),
           ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Guest,
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = LiveEventBody),
        (status = 404, description = "No order has this code", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
        (status = 429, description = "Too many lookups or streams from this address", body = ErrorBody),
        (status = 503, description = "This replica holds as many streams as it may", body = ErrorBody),
    )
)]
#[get("/tracking/{code}/events")]
pub async fn tracking_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    query: web::Query<GuestStreamQuery>,
) -> Result<HttpResponse, ApiError> {
    let resume = resume_after(&req, query.last_event_id)?;
    let locale = locale::requested(&req, query.locale.as_deref())?;
    let order = order_by_link(&state, &req, &mut *state.conn().await?, &code).await?;
    let viewer = viewer(&state, &req, None, &code, "tracking", locale);
    open_sse(&state, Follow::Orders([order.id].into()), viewer, resume)
}
