//! Staff passwords: argon2id with the library's defaults (19 MiB, 2 passes,
//! one lane: OWASP's recommendation), hashed off the async runtime.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

use crate::errors::ApiError;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

/// A password we accept for `email`.
pub fn check(password: &str, email: &str) -> Result<(), ApiError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(ApiError::invalid("password", format!("password must be at least {MIN_LENGTH} characters")));
    }
    if length > MAX_LENGTH {
        return Err(ApiError::invalid("password", format!("password must be at most {MAX_LENGTH} characters")));
    }
    if password.trim().eq_ignore_ascii_case(email.trim())
        || password.chars().all(|c| c == password.chars().next().unwrap_or(c))
    {
        return Err(ApiError::invalid("password", "password must not be your email or one repeated character"));
    }
    Ok(())
}

/// The PHC string of `password` under a new random salt.
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| ApiError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?
}

/// Whether `password` matches `stored` (a PHC string). With no stored hash
/// (unknown person, no password yet) a dummy hash is checked anyway, so the
/// answer takes as long and tells nothing.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

/// argon2id of a random password nobody knows, with the default parameters.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3PXc6KsE5UBrhA0Ka8o3zCjf3Hn9fqjY7BnLL1Y8Y2I";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse battery".into(), Some(stored.clone())).await);
        assert!(!verify("correct horse battery!".into(), Some(stored.clone())).await);
        assert_ne!(hash("correct horse battery".into()).await.unwrap(), stored, "a new salt each time");
        assert!(!verify("anything".into(), None).await);
    }

    #[test]
    fn weak_passwords_are_refused_naming_the_field() {
        assert!(check("short", "a@b.c").is_err());
        assert!(check("aaaaaaaaaaaaaaaa", "a@b.c").is_err());
        assert!(check("ana@example.com", "ana@example.com").is_err());
        assert!(check(&"x".repeat(300), "a@b.c").is_err());
        assert!(check("a long enough passphrase", "a@b.c").is_ok());
    }
}
