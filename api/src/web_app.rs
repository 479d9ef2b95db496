//! The shopper's web app (`web/`, built by Vite into `web/dist`), served at
//! `/`. Release builds embed `web/dist` in the binary, so a deploy stays one
//! file; debug builds read it from disk on each request, so a rebuilt app
//! shows without restarting the api.
//!
//! - A file of the build is served as it is, or its gzip twin (written by
//!   the build, `web/vite.config.ts`) to browsers that accept gzip; the
//!   hashed ones under `/assets/` are cached for a year, `index.html` never.
//! - Any other path the apps may route (no file extension) answers the
//!   shopper's `index.html`, or under `/console` the staff console's
//!   `console.html`: the app shows its own page, or its "not found".
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
/// The staff console's page: `/console` and every path under it.
const CONSOLE: &str = "console.html";
const MOUNT: &str = r#"<div id="app"></div>"#;

/// The app's page, when the app was built.
pub fn index_html() -> Option<String> {
    page(INDEX)
}

fn page(name: &str) -> Option<String> {
    Dist::get(name).and_then(|file| String::from_utf8(file.data.into_owned()).ok())
}

/// Which page of the build a route of the apps answers.
fn page_for(path: &str) -> &'static str {
    if path == "/console" || path.starts_with("/console/") {
        CONSOLE
    } else {
        INDEX
    }
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

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers().get_all(header::ACCEPT_ENCODING).filter_map(|v| v.to_str().ok()).any(gzip_in)
}

/// Whether an `Accept-Encoding` value takes gzip (`gzip;q=0` refuses it).
fn gzip_in(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|coding| {
        let mut parts = coding.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let q = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(1.0, |q| q.trim().parse().unwrap_or(0.0));
        name.eq_ignore_ascii_case("gzip") && q > 0.0
    })
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
    if !file_name.is_empty() && file_name != INDEX && file_name != CONSOLE {
        if let Some(file) = Dist::get(file_name) {
            let cache = if file_name.starts_with("assets/") {
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=3600"
            };
            let mut res = HttpResponse::Ok();
            res.content_type(file.metadata.mimetype())
                .insert_header((header::CACHE_CONTROL, cache))
                .insert_header((header::VARY, "Accept-Encoding"));
            let gzipped = accepts_gzip(&req).then(|| Dist::get(&format!("{file_name}.gz"))).flatten();
            return Ok(match gzipped {
                Some(gz) => res.insert_header((header::CONTENT_ENCODING, "gzip")).body(gz.data.into_owned()),
                None => res.body(file.data.into_owned()),
            });
        }
        // A missing file is a 404, not the app: a stale asset must fail loudly.
        if file_name.rsplit('/').next().is_some_and(|last| last.contains('.')) {
            return Err(ApiError::NotFound("file"));
        }
    }
    let page = page(page_for(path)).ok_or(ApiError::NotFound("web app (run scripts/web-build)"))?;
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

    #[test]
    fn the_console_has_its_own_page() {
        assert_eq!(page_for("/console"), CONSOLE);
        assert_eq!(page_for("/console/orders/1"), CONSOLE);
        assert_eq!(page_for("/consoles"), INDEX);
        assert_eq!(page_for("/orders/1"), INDEX);
    }

    #[test]
    fn gzip_is_sent_only_where_accepted() {
        assert!(gzip_in("gzip, deflate, br, zstd"));
        assert!(gzip_in("br;q=1.0, GZIP;q=0.5"));
        assert!(!gzip_in("gzip;q=0"));
        assert!(!gzip_in("gzip;q=0.0, identity"));
        assert!(!gzip_in("br, deflate"));
        assert!(!gzip_in("x-gzip-ish"));
    }
}
