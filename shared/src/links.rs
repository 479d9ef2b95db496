//! Signed values: one-click unsubscribe links, phone-code hashes and the
//! web app's CSRF tokens. One
//! server secret (`APP_SECRET`), separated by purpose so a value signed for
//! one use is never valid for another.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::Channel;

type HmacSha256 = Hmac<Sha256>;

/// The development default; production must set `APP_SECRET`.
pub const DEV_SECRET: &str = "ordertrack-development-secret-change-me";

#[derive(Clone)]
pub struct Signer {
    secret: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(<redacted>)")
    }
}

impl Signer {
    pub fn new(secret: &str) -> Self {
        Signer { secret: secret.as_bytes().to_vec() }
    }

    fn mac(&self, purpose: &str) -> HmacSha256 {
        // Keys of any length are valid for HMAC.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!());
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac
    }

    /// A token that turns `channel` off for `recipient`, for a one-click
    /// unsubscribe link (RFC 8058).
    pub fn unsubscribe_token(&self, channel: Channel, recipient: &str) -> String {
        let payload = format!("{channel}\n{recipient}");
        let mut mac = self.mac("unsubscribe");
        mac.update(payload.as_bytes());
        let tag = mac.finalize().into_bytes();
        format!("{}.{}", URL_SAFE_NO_PAD.encode(payload), URL_SAFE_NO_PAD.encode(&tag[..16]))
    }

    /// The channel and recipient a genuine token names.
    pub fn verify_unsubscribe_token(&self, token: &str) -> Option<(Channel, String)> {
        let (payload, tag) = token.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        let mut mac = self.mac("unsubscribe");
        mac.update(&payload);
        mac.verify_truncated_left(&tag).ok()?;
        let payload = String::from_utf8(payload).ok()?;
        let (channel, recipient) = payload.split_once('\n')?;
        Some((channel.parse().ok()?, recipient.to_owned()))
    }

    /// The CSRF token of a web app session: derived, so nothing more is
    /// stored, and useless without the session's cookie.
    pub fn csrf_token(&self, session_id: uuid::Uuid) -> String {
        let mut mac = self.mac("csrf");
        mac.update(session_id.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Constant-time check of a presented CSRF token.
    pub fn csrf_matches(&self, session_id: uuid::Uuid, token: &str) -> bool {
        let Ok(tag) = URL_SAFE_NO_PAD.decode(token) else {
            return false;
        };
        let mut mac = self.mac("csrf");
        mac.update(session_id.as_bytes());
        mac.verify_slice(&tag).is_ok()
    }

    /// The stored form of a one-time code, bound to its verification request.
    pub fn code_hash(&self, verification_id: uuid::Uuid, code: &str) -> Vec<u8> {
        let mut mac = self.mac("phone-code");
        mac.update(verification_id.as_bytes());
        mac.update(code.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// Constant-time check of a presented code against its stored hash.
    pub fn code_matches(&self, verification_id: uuid::Uuid, code: &str, stored: &[u8]) -> bool {
        let mut mac = self.mac("phone-code");
        mac.update(verification_id.as_bytes());
        mac.update(code.as_bytes());
        mac.verify_slice(stored).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csrf_token_belongs_to_one_session_and_one_secret() {
        let signer = Signer::new("secret");
        let (mine, theirs) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let token = signer.csrf_token(mine);
        assert!(signer.csrf_matches(mine, &token));
        assert!(!signer.csrf_matches(theirs, &token));
        assert!(!Signer::new("other").csrf_matches(mine, &token));
        assert!(!signer.csrf_matches(mine, &token[1..]));
        assert!(!signer.csrf_matches(mine, "not base64 !"));
    }

    #[test]
    fn unsubscribe_tokens_round_trip_and_resist_tampering() {
        let signer = Signer::new("secret");
        let token = signer.unsubscribe_token(Channel::Email, "ana@example.com");
        assert_eq!(signer.verify_unsubscribe_token(&token), Some((Channel::Email, "ana@example.com".into())));
        assert_eq!(Signer::new("other").verify_unsubscribe_token(&token), None);
        let (_, tag) = token.split_once('.').unwrap();
        let forged = format!("{}.{tag}", URL_SAFE_NO_PAD.encode("email\nbob@example.com"));
        assert_eq!(signer.verify_unsubscribe_token(&forged), None);
        assert_eq!(signer.verify_unsubscribe_token("garbage"), None);
    }

    #[test]
    fn code_hashes_are_bound_to_their_request() {
        let signer = Signer::new("secret");
        let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let stored = signer.code_hash(a, "123456");
        assert!(signer.code_matches(a, "123456", &stored));
        assert!(!signer.code_matches(a, "123457", &stored));
        assert!(!signer.code_matches(b, "123456", &stored));
        assert_ne!(stored, b"123456".to_vec());
    }
}
