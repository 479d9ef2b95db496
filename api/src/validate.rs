//! Input validation shared by the handlers. Every error names the field as
//! the client sent it (a JSON path such as `shipping_address.city`).

use ordertrack_shared::domain::{postal_code, EmailAddress, PhoneNumber};
use ordertrack_shared::models::ShippingAddress;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::errors::ApiError;

/// Trimmed, non-empty text of at most `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::invalid(field, format!("{field} must not be empty")));
    }
    if value.chars().count() > max {
        return Err(ApiError::invalid(field, format!("{field} must be at most {max} characters")));
    }
    Ok(value.to_owned())
}

/// Like [`text`], with absent or blank meaning "none".
pub fn optional_text(field: &str, value: Option<&String>, max: usize) -> Result<Option<String>, ApiError> {
    value.filter(|v| !v.trim().is_empty()).map(|v| text(field, v, max)).transpose()
}

pub fn email(field: &str, value: Option<&String>) -> Result<Option<String>, ApiError> {
    value
        .map(|v| {
            EmailAddress::parse(v).map(EmailAddress::into_inner).map_err(|e| ApiError::invalid(field, e.to_string()))
        })
        .transpose()
}

pub fn phone(field: &str, value: Option<&String>) -> Result<Option<String>, ApiError> {
    value
        .map(|v| {
            PhoneNumber::parse(v).map(PhoneNumber::into_inner).map_err(|e| ApiError::invalid(field, e.to_string()))
        })
        .transpose()
}

/// A postal address as clients send it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(min_length = 1, max_length = 200)]
    pub line1: String,
    #[schema(max_length = 200)]
    pub line2: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub city: String,
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[schema(min_length = 1, max_length = 20)]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, e.g. "ES".
    #[schema(pattern = "^[A-Za-z]{2}$")]
    pub country: String,
}

impl AddressInput {
    /// The address checked field by field; errors name `{prefix}.{field}`.
    pub fn validate(&self, prefix: &str) -> Result<ShippingAddress, ApiError> {
        let field = |name: &str| format!("{prefix}.{name}");
        let ship_country = country(&field("country"), &self.country)?;
        Ok(ShippingAddress {
            ship_name: text(&field("name"), &self.name, 200)?,
            ship_line1: text(&field("line1"), &self.line1, 200)?,
            ship_line2: optional_text(&field("line2"), self.line2.as_ref(), 200)?,
            ship_city: text(&field("city"), &self.city, 100)?,
            ship_region: optional_text(&field("region"), self.region.as_ref(), 100)?,
            ship_postal_code: postal_code(&field("postal_code"), &self.postal_code, &ship_country)?,
            ship_country,
        })
    }
}

/// A postal code in the format of `country`'s post, where we know it.
fn postal_code(field: &str, value: &str, country: &str) -> Result<String, ApiError> {
    let code = text(field, value, 20)?;
    if postal_code::is_valid(country, &code) {
        return Ok(code);
    }
    let message = match postal_code::example(country) {
        Some(example) => format!("{code} is not a postal code of {country} (they look like {example})"),
        None => format!("{code} is not a postal code"),
    };
    Err(ApiError::invalid(field, message))
}

/// Two ASCII letters, upper-cased.
pub fn country(field: &str, value: &str) -> Result<String, ApiError> {
    let country = text(field, value, 2)?.to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(ApiError::invalid(field, "country must be an ISO 3166-1 alpha-2 code"));
    }
    Ok(country)
}
