//! JSON bodies and parameters with errors that name the offending field.

use actix_web::web;
use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::errors::ApiError;

/// Reads the whole body, refusing anything over `limit` bytes.
pub async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::Bytes, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request("bad_body", format!("cannot read body: {e}"), None))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses JSON, reporting the path of the field that failed.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request("invalid_json", "request body must be a JSON object", None));
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Some(field) = nul_in(&value, String::new()) {
            let message = format!("{field}: text must not contain NUL characters");
            return Err(ApiError::BadRequest { code: "invalid_body", message, field: Some(field) });
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let code = if inner.is_syntax() || inner.is_eof() { "invalid_json" } else { "invalid_body" };
        let field = (path != ".").then_some(path);
        let message = match &field {
            Some(f) => format!("{f}: {inner}"),
            None => inner.to_string(),
        };
        ApiError::BadRequest { code, message, field }
    })
}

/// The path of the first string (or key) holding a NUL character, which
/// Postgres text and jsonb cannot store: refused here rather than a 500 later.
fn nul_in(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(text) => text.contains('\0').then_some(path),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| nul_in(item, format!("{path}[{i}]")))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if key.contains('\0') {
                Some(path)
            } else {
                nul_in(item, path)
            }
        }),
        _ => None,
    }
}

/// Reads and parses a JSON body in one go.
pub async fn body<T: DeserializeOwned>(payload: web::Payload, limit: usize) -> Result<T, ApiError> {
    parse(&read_body(payload, limit).await?)
}

/// Error handlers for actix's own extractors (path and query parameters).
pub fn query_error(err: actix_web::error::QueryPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    ApiError::bad_request("invalid_query", format!("invalid query string: {err}"), None).into()
}

pub fn path_error(err: actix_web::error::PathError, _: &actix_web::HttpRequest) -> actix_web::Error {
    ApiError::bad_request("invalid_path", format!("invalid path parameter: {err}"), None).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_in_a_body_is_refused_with_its_path() {
        let refused = parse::<serde_json::Value>(br#"{"a": {"b": ["ok", "x\u0000y"]}}"#).unwrap_err();
        assert!(matches!(&refused, ApiError::BadRequest { field: Some(f), .. } if f == "a.b[1]"), "{refused:?}");
        assert!(parse::<serde_json::Value>(br#"{"a": "\\u0000 is only text here"}"#).is_ok());
    }
}
