//! Is this carrier webhook really from who it claims? The checks a webhook
//! endpoint can combine (with [`super::allowlist::IpAllowlist`] on the source):
//!
//! - [`verify_fedex`]: FedEx's header, base64(HMAC-SHA256(secret, raw body)).
//! - [`verify_timestamped`]: our own senders' Stripe-style header
//!   `t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{body}">`. The timestamp is
//!   signed too, so a captured request cannot be replayed after the tolerance,
//!   and several `v1` entries plus several accepted secrets let a secret be
//!   rotated without downtime.
//!
//! Signatures are always computed over the raw body bytes as received:
//! re-serializing parsed JSON changes them. Comparisons are constant-time
//! (`hmac`'s `verify_slice`), so timing does not reveal how much of a forged
//! signature was right.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn keyed(secret: &str) -> HmacSha256 {
    match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length (long ones are hashed first).
        Err(_) => unreachable!("HMAC-SHA256 rejected a key"),
    }
}

/// Whether `signature_header` is base64(HMAC-SHA256(`secret`, `body`)). An
/// empty secret never verifies (anyone could compute that signature), nor does
/// a header that is not base64.
pub fn verify_fedex(body: &[u8], signature_header: &str, secret: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let Ok(claimed) = STANDARD.decode(signature_header.trim()) else {
        return false;
    };
    keyed(secret).chain_update(body).verify_slice(&claimed).is_ok()
}

/// The header FedEx would send for `body` (for tests and our fake senders).
pub fn sign_fedex(body: &[u8], secret: &str) -> String {
    STANDARD.encode(keyed(secret).chain_update(body).finalize().into_bytes())
}

/// Why a timestamped signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `t=`, a `t` that is not an integer (or given twice), no `v1=`, a
    /// `v1` that is not hex, or a part without `=`.
    #[error("malformed signature header")]
    Malformed,
    /// The signed timestamp is further from now than the tolerance (either
    /// way: a clock far in the future is as suspicious as a replay).
    #[error("signature timestamp outside the tolerance")]
    Expired,
    /// No accepted secret produced any of the signatures.
    #[error("signature does not match")]
    Mismatch,
}

/// Checks a `t=1700000000,v1=<hex>[,v1=<hex>...]` header: well-formed, then
/// within `tolerance_secs` of `now` (unix seconds), then signed by any of
/// `secrets` (rotation: list the new secret and the old one until every
/// sender has switched). Parts other than `t` and `v1` (e.g. a future `v2`)
/// are ignored; empty secrets are skipped.
pub fn verify_timestamped(
    header: &str,
    body: &[u8],
    secrets: &[String],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let parsed = TimestampedHeader::parse(header).ok_or(SignatureError::Malformed)?;
    if now.abs_diff(parsed.timestamp) > tolerance_secs.max(0).unsigned_abs() {
        return Err(SignatureError::Expired);
    }
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let mac = keyed(secret).chain_update(parsed.timestamp_text.as_bytes()).chain_update(b".").chain_update(body);
        if parsed.signatures.iter().any(|signature| mac.clone().verify_slice(signature).is_ok()) {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}

/// The full header value a sender puts on `body` at unix time `t`.
pub fn sign_timestamped(secret: &str, t: i64, body: &[u8]) -> String {
    let mac = keyed(secret).chain_update(t.to_string().as_bytes()).chain_update(b".").chain_update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

struct TimestampedHeader {
    timestamp: i64,
    /// Exactly as sent: the sender signed this text, not our rendering of it.
    timestamp_text: String,
    signatures: Vec<Vec<u8>>,
}

impl TimestampedHeader {
    fn parse(header: &str) -> Option<TimestampedHeader> {
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for part in header.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=')?;
            let value = value.trim();
            match key.trim() {
                "t" if timestamp.is_none() => timestamp = Some((value.parse::<i64>().ok()?, value.to_owned())),
                "t" => return None,
                "v1" => signatures.push(hex::decode(value).ok()?),
                _ => {}
            }
        }
        let (timestamp, timestamp_text) = timestamp?;
        if signatures.is_empty() {
            return None;
        }
        Some(TimestampedHeader { timestamp, timestamp_text, signatures })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values below were computed outside this code, with Python's
    /// `hmac` module, so they catch a self-consistent but wrong
    /// implementation. The first is RFC 4231 test case 2 (key "Jefe"), whose
    /// hex digest is published in the RFC.
    const RFC4231_BODY: &[u8] = b"what do ya want for nothing?";
    const RFC4231_BASE64: &str = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=";
    const FEDEX_BODY: &[u8] = br#"{"trackResults":[{"trackingNumberInfo":{"trackingNumber":"794843185271"},"scanEvents":[{"date":"2026-09-26T09:26:00-07:00","eventType":"DL","eventDescription":"Delivered","derivedStatusCode":"DL"}]}]}"#;
    const FEDEX_SECRET: &str = "fdx_whsec_3f9a1c";
    const FEDEX_SIGNATURE: &str = "sYb4NR/EMQJ2Svs8q2p13aHnoPhzhmrQGoga+sKyskw=";

    const OUR_BODY: &[u8] = br#"{"event":"order.shipped","order":"ORD-1042"}"#;
    const OUR_SECRET: &str = "whsec_ordertrack_2026";
    const OUR_T: i64 = 1_700_000_000;
    const OUR_V1: &str = "ebb31ef3efb3456e8ca119adecd3cd170d9f297cf3ef3cd7fbc8965751dc6413";

    fn secrets(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fedex_signatures_match_known_vectors() {
        assert_eq!(sign_fedex(RFC4231_BODY, "Jefe"), RFC4231_BASE64);
        assert!(verify_fedex(RFC4231_BODY, RFC4231_BASE64, "Jefe"));
        assert_eq!(sign_fedex(FEDEX_BODY, FEDEX_SECRET), FEDEX_SIGNATURE);
        assert!(verify_fedex(FEDEX_BODY, FEDEX_SIGNATURE, FEDEX_SECRET));
        assert!(verify_fedex(FEDEX_BODY, &format!("  {FEDEX_SIGNATURE}\n"), FEDEX_SECRET));
    }

    #[test]
    fn fedex_rejects_tampering_wrong_secrets_and_garbage() {
        let mut tampered = FEDEX_BODY.to_vec();
        tampered[60] ^= 1;
        assert!(!verify_fedex(&tampered, FEDEX_SIGNATURE, FEDEX_SECRET));
        assert!(!verify_fedex(FEDEX_BODY, FEDEX_SIGNATURE, "fdx_whsec_other"));
        assert!(!verify_fedex(FEDEX_BODY, "not base64!", FEDEX_SECRET));
        assert!(!verify_fedex(FEDEX_BODY, "", FEDEX_SECRET));
        assert!(!verify_fedex(FEDEX_BODY, &FEDEX_SIGNATURE[..20], FEDEX_SECRET));
        // Hex of the right digest is not the documented encoding.
        assert!(!verify_fedex(
            RFC4231_BODY,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "Jefe"
        ));
        // Nobody may sign with an empty secret.
        assert!(!verify_fedex(FEDEX_BODY, &sign_fedex(FEDEX_BODY, ""), ""));
    }

    #[test]
    fn timestamped_signatures_match_a_known_vector() {
        assert_eq!(sign_timestamped(OUR_SECRET, OUR_T, OUR_BODY), format!("t={OUR_T},v1={OUR_V1}"));
        let header = format!("t={OUR_T},v1={OUR_V1}");
        assert_eq!(verify_timestamped(&header, OUR_BODY, &secrets(&[OUR_SECRET]), OUR_T + 10, 300), Ok(()));
    }

    #[test]
    fn timestamps_outside_the_tolerance_are_expired_either_way() {
        let header = sign_timestamped(OUR_SECRET, OUR_T, OUR_BODY);
        let ok = |now| verify_timestamped(&header, OUR_BODY, &secrets(&[OUR_SECRET]), now, 300);
        assert_eq!(ok(OUR_T + 300), Ok(()));
        assert_eq!(ok(OUR_T - 300), Ok(()));
        assert_eq!(ok(OUR_T + 301), Err(SignatureError::Expired));
        assert_eq!(ok(OUR_T - 301), Err(SignatureError::Expired));
        assert_eq!(ok(i64::MIN), Err(SignatureError::Expired));
        // Expiry is decided before the signature: an old forged header says "expired".
        let forged = format!("t={},v1={}", OUR_T, "00".repeat(32));
        assert_eq!(
            verify_timestamped(&forged, OUR_BODY, &secrets(&[OUR_SECRET]), OUR_T + 3600, 300),
            Err(SignatureError::Expired)
        );
        assert_eq!(
            verify_timestamped(&header, OUR_BODY, &secrets(&[OUR_SECRET]), OUR_T, -5),
            Ok(()),
            "a negative tolerance means exact time only"
        );
    }

    #[test]
    fn any_listed_secret_and_any_v1_entry_may_match() {
        let old_header = sign_timestamped("whsec_old", OUR_T, OUR_BODY);
        let rotating = secrets(&["whsec_new", "whsec_old"]);
        assert_eq!(verify_timestamped(&old_header, OUR_BODY, &rotating, OUR_T, 300), Ok(()));

        // A sender mid-rotation signs with both secrets; either v1 will do.
        let new_v1 = sign_timestamped("whsec_new", OUR_T, OUR_BODY).split_once(",v1=").unwrap().1.to_owned();
        let old_v1 = old_header.split_once(",v1=").unwrap().1.to_owned();
        let both = format!("t={OUR_T}, v1={}, v1={new_v1}, v0=legacy, v1={old_v1}", "ab".repeat(32));
        assert_eq!(verify_timestamped(&both, OUR_BODY, &secrets(&["whsec_new"]), OUR_T, 300), Ok(()));
        assert_eq!(verify_timestamped(&both, OUR_BODY, &secrets(&["whsec_old"]), OUR_T, 300), Ok(()));
    }

    #[test]
    fn wrong_secrets_and_changed_bodies_or_times_mismatch() {
        let header = sign_timestamped(OUR_SECRET, OUR_T, OUR_BODY);
        let check =
            |header: &str, body: &[u8], list: &[&str]| verify_timestamped(header, body, &secrets(list), OUR_T, 300);
        assert_eq!(check(&header, OUR_BODY, &["whsec_wrong"]), Err(SignatureError::Mismatch));
        assert_eq!(
            check(&header, b"{\"event\":\"order.shipped\",\"order\":\"ORD-1043\"}", &[OUR_SECRET]),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(check(&header, OUR_BODY, &[]), Err(SignatureError::Mismatch));
        assert_eq!(check(&header, OUR_BODY, &[""]), Err(SignatureError::Mismatch));
        // Moving the timestamp breaks the signature, so replays cannot be refreshed.
        let moved = header.replace(&format!("t={OUR_T}"), &format!("t={}", OUR_T + 1));
        assert_eq!(check(&moved, OUR_BODY, &[OUR_SECRET]), Err(SignatureError::Mismatch));
    }

    #[test]
    fn malformed_headers_are_refused() {
        let v1 = format!("v1={OUR_V1}");
        let cases = [
            String::new(),
            "garbage".into(),
            v1.clone(),
            format!("t={OUR_T}"),
            format!("t=soon,{v1}"),
            format!("t=,{v1}"),
            format!("t={OUR_T},v1=zz"),
            format!("t={OUR_T},t={OUR_T},{v1}"),
            format!("t={OUR_T},{v1},junk"),
            format!("t={OUR_T};{v1}"),
        ];
        for header in cases {
            assert_eq!(
                verify_timestamped(&header, OUR_BODY, &secrets(&[OUR_SECRET]), OUR_T, 300),
                Err(SignatureError::Malformed),
                "{header:?}"
            );
        }
        // Extra spaces and a trailing comma are tolerated.
        let spaced = format!(" t = {OUR_T} , v1 = {OUR_V1} ,");
        assert_eq!(verify_timestamped(&spaced, OUR_BODY, &secrets(&[OUR_SECRET]), OUR_T, 300), Ok(()));
    }
}
