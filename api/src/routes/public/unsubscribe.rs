use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::OptOut;

use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Guest;
use crate::state::AppState;

/// RFC 8058 one-click unsubscribe: mail clients POST
/// `List-Unsubscribe=One-Click` to the link in the `List-Unsubscribe` header;
/// the page at the same address (GET) posts the same form. The signed token
/// names the channel and address; that channel stays off for that address.
/// Rate limited per client IP with the page (`UNSUBSCRIBE_RATE_PER_MINUTE`).
#[utoipa::path(
    post, path = "/u/{token}", tag = "preferences",
    params(("token" = String, Path, description = "Signed unsubscribe token from the email")),
    responses(
        Guest,
        (status = 200, description = "Unsubscribed", content_type = "text/html"),
        (status = 404, description = "Not a valid link", body = ErrorBody),
    )
)]
#[post("/u/{token}")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    super::limit::unsubscribe(&state, &req).await?;
    let (channel, recipient) = state.signer.verify_unsubscribe_token(&token).ok_or(ApiError::NotFound("link"))?;
    let mut conn = state.conn().await?;
    OptOut::record(&mut conn, channel, &recipient).await?;
    tracing::info!(%channel, "one-click unsubscribe");
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body("<!DOCTYPE html><title>Unsubscribed</title><p>You will no longer receive these messages.</p>"))
}
