//! The delivery rating page behind the link of the `delivered` message, in
//! the order's language. The email's five links (`?score=1` to `5`) are one
//! tap each: the page opens with that score chosen and sends it at once,
//! by script, so a link scanner that fetches every link (and runs no
//! script) rates nothing; without script, one more tap on Send. An
//! optional comment can follow; the rating can be changed for 7 days.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use ordertrack_shared::analytics::capture;
use ordertrack_shared::domain::{Locale, MessageEventKind, NotificationEvent};
use ordertrack_shared::models::order_rating::{COMMENT_MAX, RATING_OPEN_WINDOW};
use ordertrack_shared::models::{NewMessageEvent, Notification, Order, OrderRating};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::Guest;
use crate::security_headers::{inline_script, inline_style, policy_with_style_and_script};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RatingQuery {
    /// The star tapped in the email (1 to 5).
    pub score: Option<String>,
}

#[derive(Serialize)]
struct Page {
    locale: String,
    order_number: String,
    action: String,
    tracking_url: String,
    /// The chosen score (0: none yet).
    score: i16,
    comment: String,
    /// Send the chosen score on load (it came from the email's link).
    auto: bool,
    /// The score just saved, for the thank-you line.
    saved: i16,
    closed: bool,
    error: String,
}

/// What a rating link leads to: the message, its order, and the rating so far.
struct Rated {
    notification: Notification,
    order: Order,
    rating: Option<OrderRating>,
}

/// The rating page. Rate limited per client IP (`MESSAGE_LINK_RATE_PER_MINUTE`).
#[utoipa::path(
    get, path = "/r/{token}", tag = "messages",
    params(("token" = String, Path, description = "Signed token from the delivered message"), RatingQuery),
    responses(
        Guest,
        (status = 200, description = "The rating page", content_type = "text/html"),
        (status = 404, description = "Not a valid rating link", body = ErrorBody),
    )
)]
#[get("/r/{token}")]
pub async fn rating_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    query: web::Query<RatingQuery>,
) -> Result<HttpResponse, ApiError> {
    let rated = load(&state, &req, &token).await?;
    let tapped = query.score.as_deref().and_then(parse_score);
    let current = rated.rating.as_ref().map(|r| r.score);
    let closed = rated.rating.as_ref().is_some_and(|r| !r.changeable(Utc::now()));
    let page = Page {
        score: tapped.or(current).unwrap_or(0),
        comment: rated.rating.as_ref().and_then(|r| r.comment.clone()).unwrap_or_default(),
        // Only a new choice is sent by itself: a reload of the same link is not a change.
        auto: tapped.is_some() && tapped != current && !closed,
        // Thanks for what is saved (a reload of the tapped link included).
        saved: if tapped.is_none() || tapped == current { current.unwrap_or(0) } else { 0 },
        closed,
        ..Page::new(&state, &rated, &token)
    };
    render(&state, StatusCode::OK, &page)
}

/// Gives or changes the rating (form: `score` 1 to 5, optional `comment` up
/// to 2000 characters), then shows the page again (303). A bad field
/// answers the page with the error (422); a rating older than 7 days, 409.
#[utoipa::path(
    post, path = "/r/{token}", tag = "messages",
    params(("token" = String, Path, description = "Signed token from the delivered message")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses(
        Guest,
        (status = 303, description = "Saved; see the page"),
        (status = 404, description = "Not a valid rating link", body = ErrorBody),
        (status = 409, description = "The rating can no longer be changed", content_type = "text/html"),
        (status = 422, description = "Invalid score or comment", content_type = "text/html"),
    )
)]
#[post("/r/{token}")]
pub async fn rate(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let rated = load(&state, &req, &token).await?;
    let body = json::read_body(payload, state.config.max_body_bytes).await?;
    let field = |name: &str| url::form_urlencoded::parse(&body).find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let comment = field("comment").map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    let invalid = |error: &str, score: i16| Page {
        score,
        comment: comment.clone().unwrap_or_default(),
        error: error.to_owned(),
        ..Page::new(&state, &rated, &token)
    };
    let locale = rated.order.locale;
    let Some(score) = field("score").as_deref().and_then(parse_score) else {
        return render(&state, StatusCode::UNPROCESSABLE_ENTITY, &invalid(score_error(locale), 0));
    };
    if comment.as_ref().is_some_and(|c| c.chars().count() > COMMENT_MAX) {
        return render(&state, StatusCode::UNPROCESSABLE_ENTITY, &invalid(comment_error(locale), score));
    }
    let (order_id, notification_id) = (rated.order.id, rated.notification.id);
    let mut conn = state.conn().await?;
    let saved = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let Some(saved) = OrderRating::save(conn, order_id, notification_id, score, comment.as_deref()).await?
            else {
                return Ok(None);
            };
            let event = NewMessageEvent::observed(notification_id, Some(order_id), MessageEventKind::Rated)
                .detail(json!({"score": score, "comment": comment}));
            capture::record(conn, &[event]).await?;
            Ok(Some(saved))
        })
        .await?;
    if saved.is_none() {
        let page = Page { closed: true, score, ..Page::new(&state, &rated, &token) };
        return render(&state, StatusCode::CONFLICT, &page);
    }
    state.enqueuer.announce_events().await;
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/r/{token}"))).finish())
}

impl Page {
    fn new(state: &AppState, rated: &Rated, token: &str) -> Page {
        let base = state.config.public_base_url.trim_end_matches('/');
        Page {
            locale: rated.order.locale.to_string(),
            order_number: rated.order.order_number.clone(),
            action: format!("/r/{token}"),
            tracking_url: format!("{base}/t/{}", rated.order.tracking_code),
            score: 0,
            comment: String::new(),
            auto: false,
            saved: 0,
            closed: false,
            error: String::new(),
        }
    }
}

/// The message, order and rating a genuine link names; 404 for anything
/// else, and for a link whose message is more than 30 days old unless the
/// order was rated through it already.
async fn load(state: &AppState, req: &HttpRequest, token: &str) -> Result<Rated, ApiError> {
    super::limit::message_links(state, req).await?;
    let id = state.signer.verify_rating_token(token).ok_or(ApiError::NotFound("rating link"))?;
    let mut conn = state.conn().await?;
    let notification = match Notification::find(&mut conn, id).await {
        Ok(n) => n,
        Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("rating link")),
        Err(e) => return Err(e.into()),
    };
    let order_id = notification.order_id.filter(|_| notification.event == NotificationEvent::Delivered);
    let order_id = order_id.ok_or(ApiError::NotFound("rating link"))?;
    let order = Order::find(&conn, order_id).await?;
    let rating = OrderRating::find(&mut conn, order_id).await?;
    if rating.is_none() && Utc::now() > notification.created_at + RATING_OPEN_WINDOW {
        return Err(ApiError::NotFound("rating link"));
    }
    Ok(Rated { notification, order, rating })
}

fn parse_score(text: &str) -> Option<i16> {
    text.trim().parse().ok().filter(|score| (1..=5).contains(score))
}

fn score_error(locale: Locale) -> &'static str {
    match locale {
        Locale::Es => "Elige una valoración del 1 al 5.",
        Locale::Ro => "Alege o notă de la 1 la 5.",
        Locale::Ru => "Выберите оценку от 1 до 5.",
        Locale::En => "Choose a rating from 1 to 5.",
    }
}

fn comment_error(locale: Locale) -> &'static str {
    match locale {
        Locale::Es => "El comentario puede tener como máximo 2000 caracteres.",
        Locale::Ro => "Comentariul poate avea cel mult 2000 de caractere.",
        Locale::Ru => "Комментарий может быть не длиннее 2000 символов.",
        Locale::En => "The comment can be at most 2000 characters.",
    }
}

fn render(state: &AppState, status: StatusCode, page: &Page) -> Result<HttpResponse, ApiError> {
    let fragment = state.renderer.render_page("rating.html", page).map_err(|e| ApiError::Internal(e.to_string()))?;
    let policy = policy_with_style_and_script(
        inline_style(&fragment).unwrap_or_default(),
        inline_script(&fragment).unwrap_or_default(),
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><link rel=\"icon\" href=\"data:,\">\
         <title>★ {number}</title></head><body>{fragment}</body></html>",
        lang = page.locale,
        number = page.order_number.replace('&', "&amp;").replace('<', "&lt;"),
    );
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .body(html))
}
