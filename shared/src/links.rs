//! Signed values: one-click unsubscribe links, the open pixel, click and
//! rating links of a message, phone-code hashes and the web app's CSRF
//! tokens. One
//! server secret (`APP_SECRET`), separated by purpose so a value signed for
//! one use is never valid for another.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::Channel;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of HMAC tag kept in a sealed token.
const SEAL_TAG_BYTES: usize = 6;

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

    /// A message's open pixel (`/o/{token}`).
    pub fn open_token(&self, notification_id: uuid::Uuid) -> String {
        self.seal("open", notification_id.as_bytes())
    }

    pub fn verify_open_token(&self, token: &str) -> Option<uuid::Uuid> {
        uuid::Uuid::from_slice(&self.unseal("open", token, 16)?).ok()
    }

    /// The `link`-th target of a message (`/c/{token}`): the token names the
    /// message and an index into the links it was sent with, never a URL,
    /// so it cannot be made to redirect anywhere else. 31 characters, for
    /// the SMS budget.
    pub fn click_token(&self, notification_id: uuid::Uuid, link: u8) -> String {
        let mut payload = notification_id.as_bytes().to_vec();
        payload.push(link);
        self.seal("click", &payload)
    }

    pub fn verify_click_token(&self, token: &str) -> Option<(uuid::Uuid, u8)> {
        let payload = self.unseal("click", token, 17)?;
        Some((uuid::Uuid::from_slice(&payload[..16]).ok()?, payload[16]))
    }

    /// The rating page of the delivery a message announced (`/r/{token}`).
    pub fn rating_token(&self, notification_id: uuid::Uuid) -> String {
        self.seal("rating", notification_id.as_bytes())
    }

    pub fn verify_rating_token(&self, token: &str) -> Option<uuid::Uuid> {
        uuid::Uuid::from_slice(&self.unseal("rating", token, 16)?).ok()
    }

    /// `payload` and a 48-bit tag in one URL-safe word. Short on purpose
    /// (links in SMS): a forgery must be guessed online, one rate-limited
    /// request at a time, and at best names a message's own link.
    fn seal(&self, purpose: &str, payload: &[u8]) -> String {
        let mut mac = self.mac(purpose);
        mac.update(payload);
        let tag = mac.finalize().into_bytes();
        let mut sealed = payload.to_vec();
        sealed.extend_from_slice(&tag[..SEAL_TAG_BYTES]);
        URL_SAFE_NO_PAD.encode(sealed)
    }

    /// The payload of a genuine `seal(purpose, ..)` of `payload_len` bytes.
    fn unseal(&self, purpose: &str, token: &str, payload_len: usize) -> Option<Vec<u8>> {
        let sealed = URL_SAFE_NO_PAD.decode(token).ok()?;
        if sealed.len() != payload_len + SEAL_TAG_BYTES {
            return None;
        }
        let (payload, tag) = sealed.split_at(payload_len);
        let mut mac = self.mac(purpose);
        mac.update(payload);
        mac.verify_truncated_left(tag).ok()?;
        Some(payload.to_vec())
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
    fn message_tokens_name_one_message_for_one_purpose() {
        let signer = Signer::new("secret");
        let id = uuid::Uuid::new_v4();
        let click = signer.click_token(id, 3);
        assert_eq!(click.len(), 31, "SMS links are budgeted for 31 characters");
        assert_eq!(signer.verify_click_token(&click), Some((id, 3)));
        assert_eq!(signer.verify_open_token(&signer.open_token(id)), Some(id));
        assert_eq!(signer.verify_rating_token(&signer.rating_token(id)), Some(id));
        // A token for one purpose is worthless for another, or under another secret.
        assert_eq!(signer.verify_open_token(&signer.rating_token(id)), None);
        assert_eq!(Signer::new("other").verify_click_token(&click), None);
        // Another link index under the same tag: refused.
        let mut bytes = URL_SAFE_NO_PAD.decode(&click).unwrap();
        bytes[16] = 4;
        assert_eq!(signer.verify_click_token(&URL_SAFE_NO_PAD.encode(bytes)), None);
        assert_eq!(signer.verify_click_token(&click[..30]), None);
        assert_eq!(signer.verify_click_token("not a token!"), None);
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
