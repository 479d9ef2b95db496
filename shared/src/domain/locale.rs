use crate::text_enum;

text_enum! {
    /// A language we write messages in. Anything else falls back to English.
    Locale ("locale") {
        En => "en",
        Es => "es",
        Ro => "ro",
        Ru => "ru",
    }
}

impl Locale {
    /// Reads a language tag such as `es-MX` or `ru_RU` by its primary subtag.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        primary.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_resolve_by_primary_subtag() {
        assert_eq!(Locale::from_tag("es-MX"), Some(Locale::Es));
        assert_eq!(Locale::from_tag("RU_ru"), Some(Locale::Ru));
        assert_eq!(Locale::from_tag("ro"), Some(Locale::Ro));
        assert_eq!(Locale::from_tag("de-DE"), None);
    }
}
