//! Dates and times as people of each language write them, in a time zone.
//! Month names are the abbreviated forms each language uses in dates
//! (Russian in the genitive: "2 дек. 2026 г."); times are 24-hour.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use crate::domain::Locale;

const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const ES_MONTHS: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
const RO_MONTHS: [&str; 12] =
    ["ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec."];
const RU_MONTHS: [&str; 12] =
    ["янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."];

/// The calendar day of `at` in `zone`: en "Dec 2, 2026", es "2 dic 2026",
/// ro "2 dec. 2026", ru "2 дек. 2026 г.".
pub fn format_date(at: DateTime<Utc>, locale: Locale, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    let (d, y) = (local.day(), local.year());
    let m = local.month0() as usize;
    match locale {
        Locale::En => format!("{} {d}, {y}", EN_MONTHS[m]),
        Locale::Es => format!("{d} {} {y}", ES_MONTHS[m]),
        Locale::Ro => format!("{d} {} {y}", RO_MONTHS[m]),
        Locale::Ru => format!("{d} {} {y} г.", RU_MONTHS[m]),
    }
}

/// Date, time and zone: en "Dec 2, 2026, 14:05 CET". The zone is its
/// abbreviation, or the UTC offset where the zone has none ("UTC-03").
pub fn format_datetime(at: DateTime<Utc>, locale: Locale, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    format!("{}, {} {}", format_date(at, locale, zone), local.format("%H:%M"), zone_label(at, zone))
}

/// "CEST", "MSK"; tz data writes numeric names ("-03") for zones without a
/// common abbreviation, which alone would read as a subtraction.
fn zone_label(at: DateTime<Utc>, zone: Tz) -> String {
    let name = at.with_timezone(&zone).format("%Z").to_string();
    if name.starts_with(['+', '-']) {
        format!("UTC{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn dates_read_naturally_in_each_locale() {
        let when = at("2026-12-02T13:05:00Z");
        let madrid = chrono_tz::Europe::Madrid;
        assert_eq!(format_date(when, Locale::En, madrid), "Dec 2, 2026");
        assert_eq!(format_date(when, Locale::Es, madrid), "2 dic 2026");
        assert_eq!(format_date(when, Locale::Ro, madrid), "2 dec. 2026");
        assert_eq!(format_date(when, Locale::Ru, madrid), "2 дек. 2026 г.");
        assert_eq!(format_date(at("2026-05-09T10:00:00Z"), Locale::Ru, madrid), "9 мая 2026 г.");
    }

    #[test]
    fn times_are_in_the_zone_with_its_name() {
        let when = at("2026-12-02T13:05:00Z");
        assert_eq!(format_datetime(when, Locale::En, chrono_tz::Europe::Madrid), "Dec 2, 2026, 14:05 CET");
        assert_eq!(format_datetime(when, Locale::Ru, chrono_tz::Europe::Moscow), "2 дек. 2026 г., 16:05 MSK");
        assert_eq!(format_datetime(when, Locale::Ro, chrono_tz::Europe::Bucharest), "2 dec. 2026, 15:05 EET");
        assert_eq!(format_datetime(when, Locale::Es, chrono_tz::UTC), "2 dic 2026, 13:05 UTC");
        assert_eq!(
            format_datetime(when, Locale::Es, chrono_tz::America::Argentina::Buenos_Aires),
            "2 dic 2026, 10:05 UTC-03"
        );
    }

    #[test]
    fn summer_time_moves_the_clock_and_the_name() {
        let madrid = chrono_tz::Europe::Madrid;
        // Spain springs forward on 29 March 2026 at 01:00 UTC.
        assert_eq!(format_datetime(at("2026-03-29T00:30:00Z"), Locale::Es, madrid), "29 mar 2026, 01:30 CET");
        assert_eq!(format_datetime(at("2026-03-29T01:30:00Z"), Locale::Es, madrid), "29 mar 2026, 03:30 CEST");
        // Moscow keeps UTC+3 all year.
        assert_eq!(
            format_datetime(at("2026-07-01T21:30:00Z"), Locale::Ru, chrono_tz::Europe::Moscow),
            "2 июл. 2026 г., 00:30 MSK"
        );
    }

    #[test]
    fn the_day_is_the_zone_s_day() {
        let late = at("2026-01-31T23:30:00Z");
        assert_eq!(format_date(late, Locale::En, chrono_tz::UTC), "Jan 31, 2026");
        assert_eq!(format_date(late, Locale::Ro, chrono_tz::Europe::Bucharest), "1 feb. 2026");
        assert_eq!(format_date(late, Locale::En, chrono_tz::America::New_York), "Jan 31, 2026");
    }
}
