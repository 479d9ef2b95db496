use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Guest;
use crate::state::AppState;

/// The page behind the unsubscribe link in the email body: one button that
/// posts the one-click form (a GET never unsubscribes, so link scanners
/// cannot do it by accident).
#[utoipa::path(
    get, path = "/u/{token}", tag = "preferences",
    params(("token" = String, Path, description = "Signed unsubscribe token from the email")),
    responses(
        Guest,
        (status = 200, description = "Confirmation page", content_type = "text/html"),
        (status = 404, description = "Not a valid link", body = ErrorBody),
    )
)]
#[get("/u/{token}")]
pub async fn unsubscribe_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    super::limit::unsubscribe(&state, &req).await?;
    state.signer.verify_unsubscribe_token(&token).ok_or(ApiError::NotFound("link"))?;
    // The token is URL-safe base64 and a dot: nothing to escape.
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head><body>\
         <form method=\"post\" action=\"/u/{token}\">\
         <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
         <button type=\"submit\">Unsubscribe from these emails</button></form></body></html>",
        token = token.as_str()
    );
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page))
}
