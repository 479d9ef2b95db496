//! The open pixel and click links every message carries: each request is a
//! fact on the message's record (`notification_events`) and its order's
//! staff timeline.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::analytics::{capture, machine_opens};
use ordertrack_shared::domain::MessageEventKind;
use ordertrack_shared::models::{NewMessageEvent, Notification};
use serde_json::json;

use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Guest;
use crate::state::AppState;

/// A transparent 1x1 GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
    0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// The open pixel of an HTML email: a GIF that is never cached (each open
/// is a request). A fetch by a mail-privacy proxy (Apple Mail Privacy
/// Protection, Yahoo) is recorded as a machine open, reported apart. Rate
/// limited per client IP (`MESSAGE_LINK_RATE_PER_MINUTE`).
#[utoipa::path(
    get, path = "/o/{token}", tag = "messages",
    params(("token" = String, Path, description = "Signed token from the message")),
    responses(
        Guest,
        (status = 200, description = "1x1 GIF", content_type = "image/gif"),
        (status = 404, description = "Not a valid pixel", body = ErrorBody),
    )
)]
#[get("/o/{token}")]
pub async fn open_pixel(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    super::limit::message_links(&state, &req).await?;
    let id = state.signer.verify_open_token(&token).ok_or(ApiError::NotFound("pixel"))?;
    let user_agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let ip = crate::client_ip::client_ip(&req, &state.config.webhooks.trusted_proxies);
    let machine = machine_opens::is_machine_open(user_agent, ip, &state.config.machine_open_ranges);
    let mut conn = state.conn().await?;
    let Some((order_id, _)) = Notification::sent_links(&mut conn, id).await? else {
        return Err(ApiError::NotFound("pixel"));
    };
    let open = NewMessageEvent { machine, ..NewMessageEvent::observed(id, order_id, MessageEventKind::Opened) };
    record(&state, &mut conn, open).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/gif")
        .insert_header((header::CACHE_CONTROL, "no-store, no-cache, must-revalidate, max-age=0"))
        .body(PIXEL))
}

/// A link in a message: redirects to the target the message was sent with
/// (the token names the message and the link's index, never a URL, so it
/// cannot send anyone elsewhere); a tampered token is a 404. Rate limited
/// per client IP (`MESSAGE_LINK_RATE_PER_MINUTE`).
#[utoipa::path(
    get, path = "/c/{token}", tag = "messages",
    params(("token" = String, Path, description = "Signed token from the message")),
    responses(
        Guest,
        (status = 302, description = "Redirect to the link's target"),
        (status = 404, description = "Not a valid link", body = ErrorBody),
    )
)]
#[get("/c/{token}")]
pub async fn click(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    super::limit::message_links(&state, &req).await?;
    let (id, index) = state.signer.verify_click_token(&token).ok_or(ApiError::NotFound("link"))?;
    let mut conn = state.conn().await?;
    let (order_id, links) = Notification::sent_links(&mut conn, id).await?.ok_or(ApiError::NotFound("link"))?;
    let target = links.get(usize::from(index)).ok_or(ApiError::NotFound("link"))?.clone();
    let click = NewMessageEvent::observed(id, order_id, MessageEventKind::Clicked)
        .detail(json!({"url": target, "link": index}));
    record(&state, &mut conn, click).await?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, target))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

async fn record(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    event: NewMessageEvent,
) -> Result<(), ApiError> {
    conn.transaction::<_, ApiError, _>(async |conn| Ok(capture::record(conn, &[event]).await?)).await?;
    state.enqueuer.announce_events().await;
    Ok(())
}
