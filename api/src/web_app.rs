//! The shopper's web app (`web/`, built by Vite into `web/dist`), served at
//! `/`. Release builds embed `web/dist` in the binary, so a deploy stays one
//! file; debug builds read it from disk on each request, so a rebuilt app
//! shows without restarting the api.
//!
//! - A file of the build is served as it is; the hashed ones under
//!   `/assets/` are cached for a year, `index.html` never.
//! - Any other path the app may route (no file extension) answers
//!   `index.html`: the app shows its own page, or its "not found".
//! - `/t/{code}` is the app's page too, with the server-rendered order inside
//!   it for browsers without JavaScript ([`shell_with`]).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::Embed;

use crate::errors::ApiError;

#[derive(Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../web/dist/"]
#[allow_missing = true]
struct Dist;

const INDEX: &str = "index.html";
const MOUNT: &str = r#"<div id="app"></div>"#;

/// The app's page, when the app was built.
pub fn index_html() -> Option<String> {
    Dist::get(INDEX).and_then(|file| String::from_utf8(file.data.into_owned()).ok())
}

/// The app's page with `content` where the app mounts (the app replaces it
/// when it starts) and `lang` on `<html>`; `None` when the app was not built.
pub fn shell_with(lang: &str, content: &str) -> Option<String> {
    let page = index_html()?;
    let page = page.replacen(r#"<html lang="en">"#, &format!(r#"<html lang="{lang}">"#), 1);
    Some(page.replacen(MOUNT, &format!(r#"<div id="app">{content}</div>"#), 1))
}

/// Paths that belong to the API and its machine endpoints, never to the app.
fn is_machine_path(path: &str) -> bool {
    ["/api/", "/webhooks/", "/api-docs/", "/swagger-ui/"].iter().any(|prefix| path.starts_with(prefix))
}

/// The default service: a file of the app, the app's page for a route of
/// it, else the API's JSON 404.
pub async fn serve(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    let readable = matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD);
    if !readable || is_machine_path(path) {
        return Err(ApiError::NotFound("endpoint"));
    }
    let file_name = path.trim_start_matches('/');
    if !file_name.is_empty() && file_name != INDEX {
        if let Some(file) = Dist::get(file_name) {
            let cache = if file_name.starts_with("assets/") {
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=3600"
            };
            return Ok(HttpResponse::Ok()
                .content_type(file.metadata.mimetype())
                .insert_header((header::CACHE_CONTROL, cache))
                .body(file.data.into_owned()));
        }
        // A missing file is a 404, not the app: a stale asset must fail loudly.
        if file_name.rsplit('/').next().is_some_and(|last| last.contains('.')) {
            return Err(ApiError::NotFound("file"));
        }
    }
    let page = index_html().ok_or(ApiError::NotFound("web app (run scripts/web-build)"))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_paths_never_get_the_app() {
        assert!(is_machine_path("/api/v1/nope"));
        assert!(is_machine_path("/webhooks/fedex"));
        assert!(!is_machine_path("/orders/123"));
        assert!(!is_machine_path("/apiary"));
    }
}
