use actix_web::{get, web, HttpRequest, HttpResponse};

use super::access::{open_sse, resume_after, signed_in, viewer, TicketScope};
use super::order_events::StreamQuery;
use crate::auth::Permission;
use crate::errors::{ApiError, ErrorBody};
use crate::live::event::LiveEventBody;
use crate::live::hub::Follow;
use crate::locale;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Live events of every order of the signed-in customer, orders placed
/// after the stream opened included (Server-Sent Events, as
/// `/orders/{id}/events`).
#[utoipa::path(
    get, path = "/api/v1/me/events", tag = "live",
    params(StreamQuery, ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event"),
           ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Bearer,
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = LiveEventBody),
        (status = 401, description = "No token or ticket, or a bad ticket", body = ErrorBody),
        (status = 403, description = "Not a customer token", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
        (status = 429, description = "Too many streams for this token or address", body = ErrorBody),
        (status = 503, description = "This replica holds as many streams as it may", body = ErrorBody),
    ),
    security(("bearer" = []), ("stream_ticket" = []))
)]
#[get("/me/events")]
pub async fn me_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<StreamQuery>,
) -> Result<HttpResponse, ApiError> {
    let principal = signed_in(&state, &req, query.ticket.as_deref(), TicketScope::Me).await?;
    principal.require(Permission::ManageOwnProfile)?;
    let customer = principal.customer()?;
    let resume = resume_after(&req, query.last_event_id)?;
    let locale = locale::requested(&req, query.locale.as_deref())?;
    let viewer = viewer(&state, &req, Some(&principal), "", "me", locale);
    open_sse(&state, Follow::Customer(customer), viewer, resume)
}
