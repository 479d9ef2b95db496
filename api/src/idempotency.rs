//! `Idempotency-Key`: a retried write returns the first response instead of
//! acting twice. The response is stored with a hash of the request body in the
//! same transaction as the write; a key reused with another body is refused.

use actix_web::{HttpRequest, HttpResponse};
use ordertrack_shared::models::IdempotentResponse;
use sha2::{Digest, Sha256};

use crate::errors::ApiError;

const HEADER: &str = "Idempotency-Key";

/// The request's key, if it sent one (1 to 255 ASCII characters).
pub fn key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| ApiError::bad_request("invalid_header", "Idempotency-Key must be ASCII", Some(HEADER)))?;
    if key.is_empty() || key.len() > 255 {
        return Err(ApiError::bad_request(
            "invalid_header",
            "Idempotency-Key must be 1 to 255 characters",
            Some(HEADER),
        ));
    }
    Ok(Some(key.to_owned()))
}

/// What a stored response is matched against.
pub fn request_hash(body: &[u8]) -> Vec<u8> {
    Sha256::digest(body).to_vec()
}

/// The stored first response, or a refusal if the body differs.
pub fn replay(stored: IdempotentResponse, request_hash: &[u8]) -> Result<HttpResponse, ApiError> {
    if stored.request_hash != request_hash {
        return Err(ApiError::Invalid {
            code: "idempotency_key_reused",
            message: "this Idempotency-Key was used with a different request body".into(),
            field: Some(HEADER.into()),
        });
    }
    let status = actix_web::http::StatusCode::from_u16(stored.response_status as u16)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::build(status).insert_header(("Idempotent-Replayed", "true")).json(stored.response_body))
}
