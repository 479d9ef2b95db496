//! Contact details parsed at the edge: an email address and an E.164 phone number.

use serde::Serialize;

/// A syntactically valid email address, trimmed, domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailAddress(String);

/// A phone number in E.164 form: `+` then 8 to 15 digits, no leading zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("not a valid email address")]
    Email,
    #[error("not a valid phone number: use international E.164 form, e.g. +14155550123")]
    Phone,
}

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let raw = raw.trim();
        let (local, domain) = raw.rsplit_once('@').ok_or(ContactError::Email)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.chars().any(|c| c.is_whitespace() || c.is_control() || c == '@');
        let labels_ok = domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && labels_ok && raw.len() <= 254 {
            Ok(EmailAddress(format!("{local}@{}", domain.to_lowercase())))
        } else {
            Err(ContactError::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl PhoneNumber {
    /// Accepts common punctuation (spaces, dots, dashes, parentheses) and a
    /// `00` international prefix, and returns the E.164 form.
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let trimmed = raw.trim();
        let rest = if let Some(rest) = trimmed.strip_prefix('+') {
            rest
        } else if let Some(rest) = trimmed.strip_prefix("00") {
            rest
        } else {
            return Err(ContactError::Phone);
        };
        let mut digits = String::with_capacity(15);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(ContactError::Phone),
            }
        }
        if (8..=15).contains(&digits.len()) && !digits.starts_with('0') {
            Ok(PhoneNumber(format!("+{digits}")))
        } else {
            Err(ContactError::Phone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(EmailAddress::parse(" Ana@Example.COM ").unwrap().as_str(), "Ana@example.com");
        for bad in ["", "ana", "ana@", "@example.com", "ana@example", "a b@example.com", "ana@-x.com"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_normalize_to_e164() {
        assert_eq!(PhoneNumber::parse("+1 (415) 555-0123").unwrap().as_str(), "+14155550123");
        assert_eq!(PhoneNumber::parse("0040 721 234 567").unwrap().as_str(), "+40721234567");
        for bad in ["4155550123", "+0123456789", "+12", "+1415555012345678", "+1 415 CALL NOW"] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
    }
}
