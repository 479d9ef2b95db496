//! Postal codes by country: where we know the country's format, a code that
//! does not fit it is refused before a parcel is sent to nowhere. Elsewhere
//! any short run of letters, digits, spaces and hyphens is accepted.
//!
//! A format is a pattern: `9` is a digit, `A` a letter, anything else itself.

/// The formats of the countries we ship to most (country, an example, the
/// patterns; several where the post accepts several).
const FORMATS: &[(&str, &str, &[&str])] = &[
    ("AT", "1010", &["9999"]),
    ("BE", "1000", &["9999"]),
    ("CA", "K1A 0B1", &["A9A 9A9", "A9A9A9"]),
    ("CH", "8001", &["9999"]),
    ("DE", "10115", &["99999"]),
    ("ES", "28013", &["99999"]),
    ("FR", "75001", &["99999"]),
    ("GB", "SW1A 1AA", &["A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA"]),
    ("IT", "00184", &["99999"]),
    ("MD", "MD-2001", &["MD-9999", "MD9999", "9999"]),
    ("MX", "06000", &["99999"]),
    ("NL", "1012 AB", &["9999 AA", "9999AA"]),
    ("PL", "00-950", &["99-999"]),
    ("PT", "1000-001", &["9999-999"]),
    ("RO", "010011", &["999999"]),
    ("RU", "125009", &["999999"]),
    ("UA", "01001", &["99999"]),
    ("US", "94105", &["99999", "99999-9999"]),
];

fn fits(code: &str, pattern: &str) -> bool {
    code.len() == pattern.len()
        && code.chars().zip(pattern.chars()).all(|(c, p)| match p {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_alphabetic(),
            literal => c.eq_ignore_ascii_case(&literal),
        })
}

/// Whether `code` (trimmed) is a postal code of `country` (ISO 3166-1
/// alpha-2, upper case).
pub fn is_valid(country: &str, code: &str) -> bool {
    let code = code.trim();
    match FORMATS.iter().find(|(c, ..)| *c == country) {
        Some((.., patterns)) => patterns.iter().any(|pattern| fits(code, pattern)),
        None => {
            (2..=10).contains(&code.len())
                && code.chars().any(|c| c.is_ascii_alphanumeric())
                && code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        }
    }
}

/// A real code of the country, for error messages.
pub fn example(country: &str) -> Option<&'static str> {
    FORMATS.iter().find(|(c, ..)| *c == country).map(|(_, example, _)| *example)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_countries_need_their_format() {
        for (country, good) in [
            ("ES", "28013"),
            ("RO", "010011"),
            ("RU", "125009"),
            ("US", "94105"),
            ("US", "94105-1234"),
            ("GB", "SW1A 1AA"),
            ("GB", "m1 1ae"),
            ("NL", "1012 AB"),
            ("PT", "1000-001"),
            ("MD", "MD-2001"),
            ("CA", "K1A 0B1"),
        ] {
            assert!(is_valid(country, good), "{country} {good}");
        }
        for (country, bad) in
            [("ES", "2801"), ("ES", "28O13"), ("RO", "01001"), ("US", "9410"), ("GB", "12345"), ("PT", "1000")]
        {
            assert!(!is_valid(country, bad), "{country} {bad}");
        }
    }

    #[test]
    fn other_countries_take_any_short_code() {
        assert!(is_valid("JP", "100-0001"));
        assert!(is_valid("IE", "D02 X285"));
        assert!(!is_valid("JP", "1"));
        assert!(!is_valid("JP", "--"));
        assert!(!is_valid("JP", "100#0001"));
    }

    #[test]
    fn errors_can_show_an_example() {
        assert_eq!(example("ES"), Some("28013"));
        for (country, example, _) in FORMATS {
            assert!(is_valid(country, example), "{country}'s example {example} fits its format");
        }
        assert_eq!(example("JP"), None);
    }
}
