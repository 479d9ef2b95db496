use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Locale;
use ordertrack_shared::models::{Customer, PortalGrant, PortalLink};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalSessionRequest {
    /// The storefront's id of its signed-in shopper: the `customer.external_id`
    /// its orders were created with.
    #[schema(min_length = 1, max_length = 200)]
    pub customer: String,
    /// The app's language (en, es, ro, ru); default: the customer's.
    pub locale: Option<String>,
    /// Where the app's "back to the store" link goes: an absolute http(s) URL.
    #[schema(max_length = 2048)]
    pub return_url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalLinkView {
    /// Redirect the shopper here. It works once, until `expires_at`.
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

const MAX_RETURN_URL: usize = 2048;

fn return_url(value: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(url) = value else { return Ok(None) };
    let absolute = ["https://", "http://"].iter().any(|scheme| {
        url.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)) && url.len() > scheme.len()
    });
    if !absolute || url.len() > MAX_RETURN_URL || url.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "return_url",
            "return_url must be an absolute http(s) URL of at most 2048 characters",
        ));
    }
    Ok(Some(url))
}

/// A sign-in link to the web app for the storefront's signed-in shopper
/// (service tokens: the storefront's backend). Redirect the shopper to
/// `url`: the app trades it for a session cookie. Single use, valid for
/// five minutes (`PORTAL_LINK_TTL_MS`).
#[utoipa::path(
    post, path = "/api/v1/portal-sessions", tag = "web app",
    request_body = PortalSessionRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "A single-use sign-in link", body = PortalLinkView),
        (status = 404, description = "No customer with that id", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write, or a bad `return_url`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/portal-sessions")]
pub async fn create_portal_session(
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::OpenPortal)?;
    let body: PortalSessionRequest = json::body(payload, state.config.max_body_bytes).await?;
    let locale = match body.locale.as_deref() {
        Some(tag) => {
            Some(tag.parse::<Locale>().map_err(|_| ApiError::invalid("locale", "locale must be en, es, ro or ru"))?)
        }
        None => None,
    };
    let return_url = return_url(body.return_url)?;
    let mut conn = state.conn().await?;
    let customer = match Customer::find_by_external_id(&mut conn, body.customer.trim()).await {
        Ok(customer) => customer,
        Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("customer")),
        Err(e) => return Err(e.into()),
    };
    let grant = PortalGrant { customer_id: customer.id, locale: locale.unwrap_or(customer.locale), return_url };
    let expires_at = Utc::now() + chrono::Duration::from_std(state.config.portal.link_ttl).unwrap_or_default();
    let code = PortalLink::issue(&mut conn, &grant, Some(principal.token_id), expires_at).await?;
    let url = format!("{}/portal/{code}", state.config.public_base_url.trim_end_matches('/'));
    tracing::info!(customer = %customer.id, "portal link issued");
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(PortalLinkView { url, expires_at }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_urls_must_be_absolute_http() {
        assert_eq!(return_url(None).unwrap(), None);
        assert!(return_url(Some("https://shop.example/account".into())).unwrap().is_some());
        assert!(return_url(Some("HTTP://shop.example".into())).unwrap().is_some());
        for bad in ["javascript:alert(1)", "//evil.example", "/account", "https://", "https://a\nb"] {
            assert!(return_url(Some(bad.into())).is_err(), "{bad}");
        }
        assert!(return_url(Some(format!("https://x.example/{}", "a".repeat(2048)))).is_err());
    }
}
