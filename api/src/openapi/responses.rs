//! The error answers routes share, as reusable response components
//! (`#/components/responses/…`), and the sets a route lists in its
//! `responses(…)` instead of repeating them: `Bearer`, `Guest`, `JsonBody`,
//! `Malformed`. A route's own tuples come after the sets, so its more precise
//! description of the same status wins.

use std::collections::BTreeMap;

use utoipa::openapi::{ContentBuilder, HeaderBuilder, ObjectBuilder, Ref, RefOr, Response, ResponseBuilder, Type};
use utoipa::IntoResponses;

/// Status, component name, description and headers of each shared error answer.
const ERRORS: &[(u16, &str, &str, &[&str])] = &[
    (400, "BadRequest", "Malformed: not JSON, a wrong type, an unknown field, a bad parameter", &[]),
    (401, "Unauthorized", "No valid token (or stream ticket)", &["WWW-Authenticate"]),
    (403, "Forbidden", "This role may not do that", &[]),
    (404, "NotFound", "No such resource, or not yours", &[]),
    (413, "PayloadTooLarge", "Body over the limit", &[]),
    (422, "Invalid", "Well-formed, but a value breaks a rule; `field` names it", &[]),
    (
        429,
        "RateLimited",
        "Too many requests (per token, per client IP, or failed authentications)",
        &["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
    ),
    (503, "Unavailable", "A dependency (Postgres, Redis) is down; retry", &["Retry-After"]),
];

/// Every shared error answer, for `components.responses`.
pub fn components() -> impl Iterator<Item = (String, Response)> {
    ERRORS.iter().map(|(_, name, description, headers)| {
        let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        let response = headers.iter().fold(
            ResponseBuilder::new().description(*description).content("application/json", body),
            |response, header| {
                response.header(
                    *header,
                    HeaderBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::String))).build(),
                )
            },
        );
        (name.to_string(), response.build())
    })
}

/// References to the shared answers with these statuses.
fn refs(statuses: &[u16]) -> BTreeMap<String, RefOr<Response>> {
    ERRORS
        .iter()
        .filter(|(status, ..)| statuses.contains(status))
        .map(|(status, name, ..)| (status.to_string(), RefOr::Ref(Ref::from_response_name(*name))))
        .collect()
}

/// A route behind a bearer token: a malformed URL (see [`Malformed`]), no or
/// a bad token, a role that may not, the token's rate limit, the database down.
pub struct Bearer;

impl IntoResponses for Bearer {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        refs(&[400, 401, 403, 429, 503])
    }
}

/// A route without a token: a malformed URL, the per-IP limits, the database down.
pub struct Guest;

impl IntoResponses for Guest {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        refs(&[400, 429, 503])
    }
}

/// Any route: a path or query parameter that does not parse
/// (`json::path_error`, `json::query_error`) or a NUL in the URL (`middleware.rs`).
pub struct Malformed;

impl IntoResponses for Malformed {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        refs(&[400])
    }
}

/// A JSON body read by `json::body`: malformed, over the limit, or a value
/// that breaks a rule.
pub struct JsonBody;

impl IntoResponses for JsonBody {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        refs(&[400, 413, 422])
    }
}
