use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::access::{open_sse, resume_after, signed_in, viewer, TicketScope};
use crate::auth::Permission;
use crate::errors::{ApiError, ErrorBody};
use crate::live::event::LiveEventBody;
use crate::live::hub::Follow;
use crate::locale;
use crate::openapi::responses::Bearer;
use crate::routes::orders::load::visible_order;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    /// A stream ticket (`POST /api/v1/stream-tickets`), for browsers.
    #[param(ignore)] // declared as the `stream_ticket` security scheme
    pub ticket: Option<String>,
    /// Resume after this event id (the `Last-Event-ID` header wins).
    pub last_event_id: Option<i64>,
    /// The language of the entries: en, es, ro or ru. Wins over
    /// `Accept-Language`; without either, each order's language.
    pub locale: Option<String>,
}

/// Live events of one order (Server-Sent Events): `event: timeline` with
/// `id:` and the event JSON; `reset`, `shutdown` and `dropped` control
/// events; a `: ping` comment every heartbeat. Resume with `Last-Event-ID`.
#[utoipa::path(
    get, path = "/api/v1/orders/{id}/events", tag = "live",
    params(("id" = Uuid, Path, description = "Order id"), StreamQuery,
           ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event"),
           ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Bearer,
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = LiveEventBody),
        (status = 401, description = "No token or ticket, or a bad ticket", body = ErrorBody),
        (status = 404, description = "No such order, or not yours", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
        (status = 429, description = "Too many streams for this token or address", body = ErrorBody),
        (status = 503, description = "This replica holds as many streams as it may", body = ErrorBody),
    ),
    security(("bearer" = []), ("stream_ticket" = []))
)]
#[get("/events")]
pub async fn order_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<StreamQuery>,
) -> Result<HttpResponse, ApiError> {
    let principal = signed_in(&state, &req, query.ticket.as_deref(), TicketScope::Order(*id)).await?;
    principal.require(Permission::ReadOrder)?;
    let resume = resume_after(&req, query.last_event_id)?;
    let locale = locale::requested(&req, query.locale.as_deref())?;
    let order = visible_order(&*state.conn().await?, &principal, *id).await?;
    let viewer = viewer(&state, &req, Some(&principal), "", "order", locale);
    open_sse(&state, Follow::Orders([order.id].into()), viewer, resume)
}
