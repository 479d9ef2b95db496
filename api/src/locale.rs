//! The language and time zone a response is written in. The language: the
//! `locale` query parameter, else the best supported one in
//! `Accept-Language`, else the order's. The zone: the shopper's (their
//! preference, else their country's, see `i18n::shopper_zone`).

use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::HttpRequest;
use diesel_async::AsyncPgConnection;
use ordertrack_shared::domain::Locale;
use ordertrack_shared::i18n::{self, Tz};
use ordertrack_shared::models::Preferences;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::errors::ApiError;

/// `?locale=` alone. Other parameters are ignored rather than refused: a
/// tracking link may carry a newsletter's `utm_*` tags.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct LocaleQuery {
    /// The language to write texts in: en, es, ro or ru (a tag like `es-MX`
    /// reads by its language). Wins over `Accept-Language`; without either,
    /// the order's language.
    pub locale: Option<String>,
}

/// The language the caller asked for, if any: `?locale=` (422 when we do not
/// write it), else `Accept-Language`.
pub fn requested(req: &HttpRequest, query: Option<&str>) -> Result<Option<Locale>, ApiError> {
    match query {
        Some(tag) => Locale::from_tag(tag.trim())
            .map(Some)
            .ok_or_else(|| ApiError::invalid("locale", format!("unsupported locale '{tag}': use en, es, ro or ru"))),
        None => Ok(accepted(req)),
    }
}

/// The best supported language of `Accept-Language`.
pub fn accepted(req: &HttpRequest) -> Option<Locale> {
    req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(i18n::preferred_locale)
}

/// The zone the shopper of an order (of `customer`, shipped to `country`)
/// reads times in: their saved preference (through this process' cache),
/// else their country's.
pub async fn shopper_zone(conn: &mut AsyncPgConnection, customer: Option<Uuid>, country: &str) -> Result<Tz, ApiError> {
    let preference = match customer {
        Some(customer) => Preferences::load_cached(conn, customer).await?.map(|p| p.time_zone),
        None => None,
    };
    Ok(i18n::shopper_zone(preference.as_deref(), country))
}
