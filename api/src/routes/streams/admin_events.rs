use actix_web::{get, web, HttpRequest, HttpResponse};
use ordertrack_shared::domain::OrderStatus;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::access::{open_sse, resume_after, signed_in, viewer, TicketScope};
use crate::auth::Permission;
use crate::errors::{ApiError, ErrorBody};
use crate::live::event::LiveEventBody;
use crate::live::hub::Follow;
use crate::locale;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventQueue {
    /// Customer requests and their outcomes only.
    Requests,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AdminStreamQuery {
    /// Only events of orders currently in this status.
    pub status: Option<OrderStatus>,
    /// `requests`: only customer requests and their outcomes.
    pub queue: Option<EventQueue>,
    /// A stream ticket (`POST /api/v1/stream-tickets`, scope `admin`), for browsers.
    #[param(ignore)] // declared as the `stream_ticket` security scheme
    pub ticket: Option<String>,
    /// Resume after this event id (the `Last-Event-ID` header wins).
    pub last_event_id: Option<i64>,
    /// The language of the entries: en, es, ro or ru. Wins over
    /// `Accept-Language`; without either, each order's language.
    pub locale: Option<String>,
}

/// Live events of every order, for staff, with who did what and why, and
/// the outcome of each message. Server-Sent Events, as `/orders/{id}/events`.
#[utoipa::path(
    get, path = "/api/v1/admin/events", tag = "live",
    params(AdminStreamQuery, ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event"),
           ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Bearer,
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = LiveEventBody),
        (status = 400, description = "Unknown status or queue", body = ErrorBody),
        (status = 401, description = "No token or ticket, or a bad ticket", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
        (status = 429, description = "Too many streams for this token or address", body = ErrorBody),
        (status = 503, description = "This replica holds as many streams as it may", body = ErrorBody),
    ),
    security(("bearer" = []), ("stream_ticket" = []))
)]
#[get("/admin/events")]
pub async fn admin_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<AdminStreamQuery>,
) -> Result<HttpResponse, ApiError> {
    let principal = signed_in(&state, &req, query.ticket.as_deref(), TicketScope::Admin).await?;
    principal.require(Permission::ServeCustomers)?;
    let resume = resume_after(&req, query.last_event_id)?;
    let locale = locale::requested(&req, query.locale.as_deref())?;
    let follow = Follow::All { status: query.status, requests_only: query.queue.is_some() };
    let viewer = viewer(&state, &req, Some(&principal), "", "admin", locale);
    open_sse(&state, follow, viewer, resume)
}
