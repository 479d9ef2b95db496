//! Reading an `Accept-Language` header (RFC 9110 §12.5.4): the supported
//! language the client likes best.

use crate::domain::Locale;

/// The first supported language by quality (ties keep header order);
/// `None` when the header names none we write. `q=0` means "not this one".
pub fn preferred_locale(header: &str) -> Option<Locale> {
    let mut ranked: Vec<(u16, Locale)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let locale = Locale::from_tag(parts.next()?.trim())?;
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            // Thousandths: q has at most three decimals.
            let quality = (quality.clamp(0.0, 1.0) * 1000.0).round() as u16;
            (quality > 0).then_some((quality, locale))
        })
        .collect();
    ranked.sort_by_key(|(quality, _)| std::cmp::Reverse(*quality));
    ranked.first().map(|(_, locale)| *locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_supported_language_wins() {
        assert_eq!(preferred_locale("ru"), Some(Locale::Ru));
        assert_eq!(preferred_locale("ro-RO,ro;q=0.9,en-US;q=0.8"), Some(Locale::Ro));
        assert_eq!(preferred_locale("de-DE, es;q=0.5, en;q=0.7"), Some(Locale::En));
        assert_eq!(preferred_locale("en;q=0.2, es-MX"), Some(Locale::Es));
        assert_eq!(preferred_locale("es;q=0.8, ru;q=0.8"), Some(Locale::Es));
    }

    #[test]
    fn nothing_supported_is_none() {
        assert_eq!(preferred_locale(""), None);
        assert_eq!(preferred_locale("*"), None);
        assert_eq!(preferred_locale("de, fr;q=0.9"), None);
        assert_eq!(preferred_locale("ru;q=0, de"), None);
    }
}
