//! The shopper's web app session cookie. It carries the portal session's
//! secret: HttpOnly (no script reads it), SameSite=Lax (not sent on
//! cross-site writes), `Secure` with the `__Host-` prefix on https. Writes
//! made with it must also pass [`check_write`]: the page's `Origin` is one of
//! ours and `X-CSRF-Token` is the session's token, so another site can
//! neither forge a write nor read what one returns.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::http::{header, Method};
use actix_web::HttpRequest;
use uuid::Uuid;

use crate::config::PortalConfig;
use crate::errors::ApiError;
use crate::state::AppState;

pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The cookie's name: `__Host-` makes browsers refuse it unless `Secure`,
/// host-only and `Path=/`, so it can only be set over https.
pub fn cookie_name(portal: &PortalConfig) -> &'static str {
    if portal.secure_cookies {
        "__Host-ordertrack_session"
    } else {
        "ordertrack_session"
    }
}

/// The session secret the request carries, if any.
pub fn secret(req: &HttpRequest, portal: &PortalConfig) -> Option<String> {
    req.cookie(cookie_name(portal)).map(|c| c.value().to_owned())
}

/// The cookie that holds `secret` for `max_age_secs`.
pub fn cookie(portal: &PortalConfig, secret: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(cookie_name(portal), secret)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(portal.secure_cookies)
        .max_age(time::Duration::seconds(max_age_secs.max(0)))
        .finish()
}

/// The cookie that makes the browser forget the session.
pub fn removal(portal: &PortalConfig) -> Cookie<'static> {
    let mut gone = cookie(portal, String::new(), 0);
    gone.make_removal();
    gone
}

/// Whether `method` changes something (and so needs the CSRF checks).
pub fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The value of a header sent exactly once (browsers never repeat these).
fn single<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    let mut values = req.headers().get_all(name);
    let value = values.next()?.to_str().ok();
    values.next().is_none().then_some(value).flatten()
}

/// Whether the request's `Origin` is one the app is served from.
pub fn origin_allowed(req: &HttpRequest, state: &AppState) -> bool {
    let Some(origin) = single(req, header::ORIGIN.as_str()) else {
        return false;
    };
    state.config.stream.allowed_origins.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin))
}

/// The checks of a write made with the cookie of session `session_id`.
pub fn check_write(req: &HttpRequest, state: &AppState, session_id: Uuid) -> Result<(), ApiError> {
    let token = single(req, CSRF_HEADER).unwrap_or_default();
    if origin_allowed(req, state) && state.signer.csrf_matches(session_id, token) {
        Ok(())
    } else {
        tracing::info!(session = %session_id, "refused a cookie write without its Origin or CSRF token");
        Err(ApiError::CsrfRefused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portal(secure_cookies: bool) -> PortalConfig {
        let minute = std::time::Duration::from_secs(60);
        PortalConfig { link_ttl: minute, session_idle: minute, session_max: minute, secure_cookies }
    }

    #[test]
    fn on_https_the_cookie_is_secure_and_host_only() {
        let secure = cookie(&portal(true), "ops_x".into(), 60).to_string();
        assert!(secure.starts_with("__Host-ordertrack_session=ops_x"), "{secure}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/", "Max-Age=60"] {
            assert!(secure.contains(attribute), "{attribute}: {secure}");
        }
        assert!(!secure.contains("Domain"), "{secure}");
        let plain = cookie(&portal(false), "ops_x".into(), 60).to_string();
        assert!(plain.starts_with("ordertrack_session=") && !plain.contains("Secure"), "{plain}");
    }

    #[test]
    fn only_writes_need_the_csrf_checks() {
        assert!(is_write(&Method::POST) && is_write(&Method::DELETE) && is_write(&Method::PUT));
        assert!(!is_write(&Method::GET) && !is_write(&Method::HEAD));
    }
}
