//! Per-client-IP limits of the public pages.

use actix_web::HttpRequest;

use crate::errors::ApiError;
use crate::state::AppState;

/// The unsubscribe page and its one-click form share one window per client
/// IP (`UNSUBSCRIBE_RATE_PER_MINUTE`), so signed tokens cannot be tried at speed.
pub async fn unsubscribe(state: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    let ip = crate::client_ip::client_key(req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("unsubscribe", &ip, state.config.unsubscribe_rate_per_minute, 60).await
}

/// The open pixel, click links and the rating page share one window per
/// client IP (`MESSAGE_LINK_RATE_PER_MINUTE`).
pub async fn message_links(state: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    let ip = crate::client_ip::client_key(req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("message-link", &ip, state.config.message_link_rate_per_minute, 60).await
}
