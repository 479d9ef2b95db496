//! SendGrid's signed Event Webhook.
//!
//! SendGrid signs `timestamp || raw body` with ECDSA P-256 / SHA-256 and
//! sends the DER signature, base64, in `X-Twilio-Email-Event-Webhook-Signature`
//! and the timestamp in `X-Twilio-Email-Event-Webhook-Timestamp`. The
//! verification key is the base64 DER SubjectPublicKeyInfo shown in
//! SendGrid's settings (`SENDGRID_WEBHOOK_PUBLIC_KEY`). The body is a JSON
//! array of events; our custom argument `notification_id` comes back as a
//! top-level field of each.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use serde_json::Value;

pub const SIGNATURE_HEADER: &str = "X-Twilio-Email-Event-Webhook-Signature";
pub const TIMESTAMP_HEADER: &str = "X-Twilio-Email-Event-Webhook-Timestamp";

/// The DER SubjectPublicKeyInfo header of an uncompressed P-256 key: what
/// precedes the 65-byte point in every key SendGrid issues.
pub const P256_SPKI_HEADER: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// The webhook's verification key.
#[derive(Clone)]
pub struct SendgridKey(UnparsedPublicKey<Vec<u8>>);

impl std::fmt::Debug for SendgridKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SendgridKey")
    }
}

impl SendgridKey {
    /// Reads the key as SendGrid shows it (base64 DER, no PEM armour).
    pub fn parse(base64_der: &str) -> Result<Self, String> {
        let der = STANDARD.decode(base64_der.trim()).map_err(|e| format!("not base64: {e}"))?;
        let point = der
            .strip_prefix(&P256_SPKI_HEADER[..])
            .filter(|point| point.len() == 65 && point[0] == 0x04)
            .ok_or("not a P-256 public key (DER SubjectPublicKeyInfo)")?;
        Ok(SendgridKey(UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point.to_vec())))
    }

    /// Whether `signature` signs `timestamp` followed by the raw `body`.
    pub fn verify(&self, timestamp: &str, body: &[u8], signature: &str) -> bool {
        let Ok(signature) = STANDARD.decode(signature.trim()) else {
            return false;
        };
        let mut signed = Vec::with_capacity(timestamp.len() + body.len());
        signed.extend_from_slice(timestamp.as_bytes());
        signed.extend_from_slice(body);
        self.0.verify(&signed, &signature).is_ok()
    }
}

/// One event of a batch, with what we use of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SendgridEvent {
    pub event: String,
    pub email: String,
    pub sg_event_id: String,
    pub occurred_at: DateTime<Utc>,
    /// Our `notification_id` custom argument, when the message carried it.
    pub notification_id: Option<uuid::Uuid>,
    /// The Message-ID we set (`smtp-id`), for messages without the argument.
    pub smtp_id: Option<String>,
    /// Bounces: `bounce` (hard) or `blocked` (soft).
    pub bounce_type: Option<String>,
    pub sg_machine_open: bool,
    /// The event as received.
    pub raw: Value,
}

/// Why a batch was refused (400): the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct BadEvent {
    pub field: String,
    pub reason: String,
}

/// Parses a batch; any malformed event refuses the whole batch (SendGrid
/// retries it, and nothing is half-applied).
pub fn parse_batch(body: &[u8]) -> Result<Vec<SendgridEvent>, BadEvent> {
    let bad = |field: String, reason: &str| BadEvent { field, reason: reason.to_owned() };
    let events: Vec<Value> =
        serde_json::from_slice(body).map_err(|_| bad("body".into(), "must be a JSON array of events"))?;
    events
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
            let required = |key: &str| {
                text(key).filter(|v| !v.is_empty()).ok_or_else(|| bad(format!("[{i}].{key}"), "is required"))
            };
            // Seconds, as a number or (older examples) a string.
            let seconds = raw
                .get("timestamp")
                .and_then(|t| t.as_i64().or_else(|| t.as_str().and_then(|s| s.parse().ok())))
                .ok_or_else(|| bad(format!("[{i}].timestamp"), "must be unix seconds"))?;
            let occurred_at = DateTime::from_timestamp(seconds, 0)
                .ok_or_else(|| bad(format!("[{i}].timestamp"), "is out of range"))?;
            Ok(SendgridEvent {
                event: required("event")?,
                email: text("email").unwrap_or_default(),
                sg_event_id: required("sg_event_id")?,
                occurred_at,
                notification_id: text("notification_id").and_then(|id| id.parse().ok()),
                smtp_id: text("smtp-id"),
                bounce_type: text("type"),
                sg_machine_open: raw.get("sg_machine_open").and_then(Value::as_bool).unwrap_or(false),
                raw,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

    // SendGrid's own sample (sendgrid-go helpers/eventwebhook/eventwebhook_test.go,
    // also in the Node.js and Python SDKs): its signature is high-S.
    const SAMPLE_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    const SAMPLE_SIGNATURE: &str =
        "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
    const SAMPLE_TIMESTAMP: &str = "1600112502";
    const SAMPLE_PAYLOAD: &str = concat!(
        r#"[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]"#,
        "\r\n"
    );

    #[test]
    fn sendgrids_documented_sample_verifies_and_any_change_does_not() {
        let key = SendgridKey::parse(SAMPLE_KEY).unwrap();
        assert!(key.verify(SAMPLE_TIMESTAMP, SAMPLE_PAYLOAD.as_bytes(), SAMPLE_SIGNATURE));
        assert!(!key.verify(SAMPLE_TIMESTAMP, SAMPLE_PAYLOAD.trim_end().as_bytes(), SAMPLE_SIGNATURE));
        assert!(!key.verify("1600112503", SAMPLE_PAYLOAD.as_bytes(), SAMPLE_SIGNATURE));
        let tampered = SAMPLE_PAYLOAD.replace("dropped", "delivered");
        assert!(!key.verify(SAMPLE_TIMESTAMP, tampered.as_bytes(), SAMPLE_SIGNATURE));
        assert!(!key.verify(SAMPLE_TIMESTAMP, SAMPLE_PAYLOAD.as_bytes(), "not base64!"));
        let other = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
        assert!(!SendgridKey::parse(other).unwrap().verify(
            SAMPLE_TIMESTAMP,
            SAMPLE_PAYLOAD.as_bytes(),
            SAMPLE_SIGNATURE
        ));
        let events = parse_batch(SAMPLE_PAYLOAD.as_bytes()).unwrap();
        assert_eq!(events[0].event, "dropped");
        assert_eq!(events[0].occurred_at.timestamp(), 1600112492);
        assert_eq!(events[0].smtp_id.as_deref(), Some("<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>"));
    }

    #[test]
    fn a_key_pair_made_here_signs_what_the_webhook_accepts() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let spki = [&P256_SPKI_HEADER[..], pair.public_key().as_ref()].concat();
        let key = SendgridKey::parse(&STANDARD.encode(spki)).unwrap();
        let body = br#"[{"event":"delivered","email":"a@b.c","sg_event_id":"e1","timestamp":1700000000}]"#;
        let signature = STANDARD.encode(pair.sign(&rng, &[b"1700000001".as_slice(), body].concat()).unwrap());
        assert!(key.verify("1700000001", body, &signature));
        assert!(!key.verify("1700000001", &body[1..], &signature));
        assert!(SendgridKey::parse("MFkwEwYH").is_err());
    }

    #[test]
    fn a_malformed_event_names_its_field() {
        let missing = br#"[{"event":"delivered","timestamp":1},{"event":"bounce","timestamp":2}]"#;
        assert_eq!(parse_batch(missing).unwrap_err().to_string(), "[0].sg_event_id: is required");
        let stringly = br#"[{"event":"open","sg_event_id":"x","timestamp":"1700000000","sg_machine_open":true,"notification_id":"0195f5a0-0000-7000-8000-000000000001"}]"#;
        let open = &parse_batch(stringly).unwrap()[0];
        assert!(open.sg_machine_open && open.notification_id.is_some());
        assert_eq!(parse_batch(b"{}").unwrap_err().field, "body");
    }
}
