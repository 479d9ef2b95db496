//! The browser sessions' cookies: the shopper's web app ([`SessionCookie::Portal`])
//! and the staff console ([`SessionCookie::Staff`]). Each carries its session's
//! secret: HttpOnly (no script reads it), `Secure` with the `__Host-` prefix
//! on https; the shopper's is SameSite=Lax (it arrives from the storefront's
//! redirect), the console's Strict. Writes made with either must also pass
//! [`check_write`]: the page's `Origin` is one of ours and `X-CSRF-Token` is
//! the session's token, so another site can neither forge a write nor read
//! what one returns.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::http::{header, Method};
use actix_web::HttpRequest;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::state::AppState;

pub const CSRF_HEADER: &str = "X-CSRF-Token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCookie {
    Portal,
    Staff,
}

impl SessionCookie {
    /// `__Host-` makes browsers refuse the cookie unless `Secure`, host-only
    /// and `Path=/`, so it can only be set over https.
    pub fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (SessionCookie::Portal, true) => "__Host-ordertrack_session",
            (SessionCookie::Portal, false) => "ordertrack_session",
            (SessionCookie::Staff, true) => "__Host-ordertrack_staff",
            (SessionCookie::Staff, false) => "ordertrack_staff",
        }
    }

    fn same_site(self) -> SameSite {
        match self {
            SessionCookie::Portal => SameSite::Lax,
            SessionCookie::Staff => SameSite::Strict,
        }
    }

    /// The session secret the request carries, if any.
    pub fn secret(self, req: &HttpRequest, secure: bool) -> Option<String> {
        req.cookie(self.name(secure)).map(|c| c.value().to_owned())
    }

    /// The cookie that holds `secret` for `max_age_secs`.
    pub fn cookie(self, secure: bool, secret: String, max_age_secs: i64) -> Cookie<'static> {
        Cookie::build(self.name(secure), secret)
            .path("/")
            .http_only(true)
            .same_site(self.same_site())
            .secure(secure)
            .max_age(time::Duration::seconds(max_age_secs.max(0)))
            .finish()
    }

    /// The cookie that makes the browser forget the session.
    pub fn removal(self, secure: bool) -> Cookie<'static> {
        let mut gone = self.cookie(secure, String::new(), 0);
        gone.make_removal();
        gone
    }
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

/// Whether the request's `Origin` is one the apps are served from.
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

    #[test]
    fn on_https_the_cookies_are_secure_and_host_only() {
        let secure = SessionCookie::Portal.cookie(true, "ops_x".into(), 60).to_string();
        assert!(secure.starts_with("__Host-ordertrack_session=ops_x"), "{secure}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/", "Max-Age=60"] {
            assert!(secure.contains(attribute), "{attribute}: {secure}");
        }
        assert!(!secure.contains("Domain"), "{secure}");
        let plain = SessionCookie::Portal.cookie(false, "ops_x".into(), 60).to_string();
        assert!(plain.starts_with("ordertrack_session=") && !plain.contains("Secure"), "{plain}");
    }

    #[test]
    fn the_console_cookie_is_strict() {
        let staff = SessionCookie::Staff.cookie(true, "oss_x".into(), 60).to_string();
        assert!(staff.starts_with("__Host-ordertrack_staff=") && staff.contains("SameSite=Strict"), "{staff}");
        assert!(staff.contains("HttpOnly") && staff.contains("Secure"), "{staff}");
    }

    #[test]
    fn only_writes_need_the_csrf_checks() {
        assert!(is_write(&Method::POST) && is_write(&Method::DELETE) && is_write(&Method::PUT));
        assert!(!is_write(&Method::GET) && !is_write(&Method::HEAD));
    }
}
