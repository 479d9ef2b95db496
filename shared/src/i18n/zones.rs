//! The time zone a shopper reads times in: their own choice when they made
//! one, else the usual zone of the country the order ships to.

use chrono_tz::Tz;

use crate::notify::preferences::parse_time_zone;

/// The zone most of a country's shoppers live in, for the countries we ship
/// to (ISO 3166-1 alpha-2). Countries spanning zones get their most
/// populous one; anything else reads UTC.
const COUNTRY_ZONES: &[(&str, Tz)] = &[
    ("AR", Tz::America__Argentina__Buenos_Aires),
    ("AT", Tz::Europe__Vienna),
    ("BE", Tz::Europe__Brussels),
    ("BY", Tz::Europe__Minsk),
    ("CA", Tz::America__Toronto),
    ("CL", Tz::America__Santiago),
    ("CO", Tz::America__Bogota),
    ("DE", Tz::Europe__Berlin),
    ("EC", Tz::America__Guayaquil),
    ("ES", Tz::Europe__Madrid),
    ("FR", Tz::Europe__Paris),
    ("GB", Tz::Europe__London),
    ("IE", Tz::Europe__Dublin),
    ("IT", Tz::Europe__Rome),
    ("KZ", Tz::Asia__Almaty),
    ("MD", Tz::Europe__Chisinau),
    ("MX", Tz::America__Mexico_City),
    ("NL", Tz::Europe__Amsterdam),
    ("PE", Tz::America__Lima),
    ("PL", Tz::Europe__Warsaw),
    ("PT", Tz::Europe__Lisbon),
    ("RO", Tz::Europe__Bucharest),
    ("RU", Tz::Europe__Moscow),
    ("UA", Tz::Europe__Kyiv),
    ("US", Tz::America__New_York),
    ("UY", Tz::America__Montevideo),
    ("VE", Tz::America__Caracas),
];

/// The usual zone of `country`; UTC for countries not in the table.
pub fn zone_for_country(country: &str) -> Tz {
    COUNTRY_ZONES.iter().find(|(code, _)| code.eq_ignore_ascii_case(country.trim())).map_or(Tz::UTC, |(_, zone)| *zone)
}

/// The customer's preferred zone, else the country's. A preference of UTC
/// counts as none: it is what every customer starts with
/// (`Preferences::defaults`), so it rarely says where they live.
pub fn shopper_zone(preference: Option<&str>, country: &str) -> Tz {
    preference
        .and_then(parse_time_zone)
        .filter(|zone| !matches!(zone, Tz::UTC | Tz::Etc__UTC))
        .unwrap_or_else(|| zone_for_country(country))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_have_their_zone_and_others_utc() {
        assert_eq!(zone_for_country("RU"), Tz::Europe__Moscow);
        assert_eq!(zone_for_country("es"), Tz::Europe__Madrid);
        assert_eq!(zone_for_country("MD"), Tz::Europe__Chisinau);
        assert_eq!(zone_for_country("JP"), Tz::UTC);
        assert_eq!(zone_for_country(""), Tz::UTC);
    }

    #[test]
    fn a_chosen_zone_wins_over_the_country() {
        assert_eq!(shopper_zone(Some("America/Mexico_City"), "ES"), Tz::America__Mexico_City);
        assert_eq!(shopper_zone(Some("UTC"), "RO"), Tz::Europe__Bucharest);
        assert_eq!(shopper_zone(Some("Not/AZone"), "RU"), Tz::Europe__Moscow);
        assert_eq!(shopper_zone(None, "AR"), Tz::America__Argentina__Buenos_Aires);
    }
}
