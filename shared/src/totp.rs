//! Time-based one-time passwords (RFC 6238, with RFC 4226's HOTP): the staff
//! console's second factor. SHA-1, 6 digits, 30-second steps, the usual
//! authenticator-app settings. A code is accepted one step either side of
//! now (clock drift), and never twice: the caller stores the last step used.
//!
//! The shared secret must be readable to check codes, so it cannot be
//! hashed; it is stored sealed with a key derived from `APP_SECRET` and a
//! per-enrolment nonce ([`seal`]), so a database dump alone gives nothing.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use sha2::Sha256;

pub const DIGITS: u32 = 6;
pub const STEP_SECS: i64 = 30;
/// Steps either side of now that are still accepted.
pub const DRIFT_STEPS: i64 = 1;
/// 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;

/// The HOTP value of `counter` (RFC 4226, section 5.3).
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    value % 10u32.pow(DIGITS)
}

/// The time step of a Unix time.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The step `code` belongs to, if it is the code of a step within the drift
/// of `now` and after `last_used` (a replayed code is refused).
pub fn verify(secret: &[u8], code: &str, unix_now: i64, last_used: Option<i64>) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let given: u32 = code.parse().ok()?;
    let now = step_at(unix_now);
    (now - DRIFT_STEPS..=now + DRIFT_STEPS)
        .filter(|step| *step >= 0 && last_used.is_none_or(|last| *step > last))
        .find(|step| hotp(secret, *step as u64) == given)
}

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: how authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The `otpauth://` URI an authenticator app imports (as text or QR code).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let encode = |s: &str| url_escape(s);
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        encode(issuer),
        encode(account),
        base32(secret),
        encode(issuer)
    )
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The keystream sealing a secret of `len` bytes for this app secret and nonce.
fn keystream(app_secret: &str, nonce: &[u8], len: usize) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(app_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(b"totp-seal\0");
    mac.update(nonce);
    mac.finalize().into_bytes().iter().copied().cycle().take(len).collect()
}

/// `secret` sealed for storage, and the nonce to store beside it. The nonce
/// is new for every enrolment, so no two sealed secrets share a key.
pub fn seal(app_secret: &str, secret: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut nonce = vec![0u8; 16];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = secret.iter().zip(keystream(app_secret, &nonce, secret.len())).map(|(s, k)| s ^ k).collect();
    (sealed, nonce)
}

/// The secret [`seal`] stored.
pub fn unseal(app_secret: &str, sealed: &[u8], nonce: &[u8]) -> Vec<u8> {
    sealed.iter().zip(keystream(app_secret, nonce, sealed.len())).map(|(s, k)| s ^ k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 seed and vectors, cut to 6 digits.
    const RFC_SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        for (time, eight_digits) in [
            (59, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(RFC_SEED, step_at(time) as u64), eight_digits % 1_000_000, "T = {time}");
        }
    }

    #[test]
    fn matches_the_rfc_4226_hotp_vectors() {
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_SEED, counter as u64), *value);
        }
    }

    #[test]
    fn a_code_is_good_for_one_step_either_side_and_only_once() {
        let now = 1111111111;
        let code = |step: i64| format!("{:06}", hotp(RFC_SEED, step as u64));
        let step = step_at(now);
        assert_eq!(verify(RFC_SEED, &code(step), now, None), Some(step));
        assert_eq!(verify(RFC_SEED, &code(step - 1), now, None), Some(step - 1));
        assert_eq!(verify(RFC_SEED, &code(step + 1), now, None), Some(step + 1));
        assert_eq!(verify(RFC_SEED, &code(step - 2), now, None), None, "too old");
        assert_eq!(verify(RFC_SEED, &code(step), now, Some(step)), None, "replayed");
        assert_eq!(verify(RFC_SEED, &code(step + 1), now, Some(step)), Some(step + 1));
        assert_eq!(verify(RFC_SEED, "12345", now, None), None);
        assert_eq!(verify(RFC_SEED, "12345a", now, None), None);
    }

    #[test]
    fn base32_is_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"fooba"), "MZXW6YTB");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(RFC_SEED), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn sealing_round_trips_and_depends_on_the_app_secret() {
        let secret = new_secret();
        let (sealed, nonce) = seal("app", &secret);
        assert_ne!(sealed, secret);
        assert_eq!(unseal("app", &sealed, &nonce), secret);
        assert_ne!(unseal("other", &sealed, &nonce), secret);
        let (again, _) = seal("app", &secret);
        assert_ne!(again, sealed, "a new nonce each time");
    }

    #[test]
    fn the_uri_names_issuer_account_and_secret() {
        let uri = otpauth_uri("ordertrack", "ana@example.com", RFC_SEED);
        assert_eq!(
            uri,
            "otpauth://totp/ordertrack:ana@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ordertrack&algorithm=SHA1&digits=6&period=30"
        );
    }
}
