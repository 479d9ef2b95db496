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

/// Why a number cannot receive a verification SMS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MobileError {
    #[error("not a valid phone number: use international E.164 form, e.g. +34600123456")]
    Invalid,
    #[error("this number cannot receive text messages (it is a landline or a special service number)")]
    NotMobile,
}

/// A number that can receive SMS, by the numbering plan of its country
/// (libphonenumber's metadata), in E.164 form.
pub fn mobile_number(raw: &str) -> Result<PhoneNumber, MobileError> {
    use phonenumber::{Mode, Type};
    let basic = PhoneNumber::parse(raw).map_err(|_| MobileError::Invalid)?;
    let parsed = phonenumber::parse(None, basic.as_str()).map_err(|_| MobileError::Invalid)?;
    if !parsed.is_valid() {
        return Err(MobileError::Invalid);
    }
    match parsed.number_type(&phonenumber::metadata::DATABASE) {
        Type::Mobile | Type::FixedLineOrMobile | Type::PersonalNumber => {
            Ok(PhoneNumber(parsed.format().mode(Mode::E164).to_string()))
        }
        _ => Err(MobileError::NotMobile),
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
    fn only_numbers_that_take_sms_pass_the_mobile_check() {
        assert_eq!(mobile_number("+34 600 123 456").unwrap().as_str(), "+34600123456");
        assert_eq!(mobile_number("+40 721 234 567").unwrap().as_str(), "+40721234567");
        assert_eq!(mobile_number("+7 912 345-67-89").unwrap().as_str(), "+79123456789");
        // US numbers cannot be told apart: fixed line or mobile passes.
        assert!(mobile_number("+1 415 555 2671").is_ok());
        assert_eq!(mobile_number("+34 915 123 456"), Err(MobileError::NotMobile), "Madrid landline");
        assert_eq!(mobile_number("+34 900 123 456"), Err(MobileError::NotMobile), "Spanish freephone");
        assert_eq!(mobile_number("+34 12"), Err(MobileError::Invalid));
        assert_eq!(mobile_number("600123456"), Err(MobileError::Invalid));
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
