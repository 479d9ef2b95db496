//! Opaque keyset cursors: (timestamp, id) of the last row of a page.

use base64::Engine;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::errors::ApiError;

pub fn encode(at: DateTime<Utc>, id: Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}|{id}", at.timestamp_micros()))
}

pub fn decode(cursor: &str) -> Result<(DateTime<Utc>, Uuid), ApiError> {
    let bad = || ApiError::bad_request("invalid_cursor", "cursor is not one this API issued", Some("cursor"));
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (micros, id) = raw.split_once('|').ok_or_else(bad)?;
    let at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((at, id.parse().map_err(|_| bad())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let at = Utc::now();
        let id = Uuid::now_v7();
        let (back_at, back_id) = decode(&encode(at, id)).unwrap();
        assert_eq!((back_at.timestamp_micros(), back_id), (at.timestamp_micros(), id));
        assert!(decode("garbage").is_err());
        assert!(decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("12|not-a-uuid")).is_err());
    }
}
