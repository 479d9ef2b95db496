use crate::text_enum;

text_enum! {
    /// A parcel carrier we track.
    Carrier ("carrier") {
        Fedex => "fedex",
        Ups => "ups",
        Dhl => "dhl",
    }
}

/// A tracking number that does not look like one of the carrier's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{number}' is not a valid {carrier} tracking number ({rule})")]
pub struct InvalidTrackingNumber {
    pub carrier: Carrier,
    pub number: String,
    pub rule: &'static str,
}

impl Carrier {
    /// The carrier's public tracking page for a parcel.
    pub fn tracking_url(self, tracking_number: &str) -> String {
        match self {
            Carrier::Fedex => format!("https://www.fedex.com/fedextrack/?trknbr={tracking_number}"),
            Carrier::Ups => format!("https://www.ups.com/track?loc=en_US&tracknum={tracking_number}"),
            Carrier::Dhl => format!(
                "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={tracking_number}"
            ),
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Carrier::Fedex => "FedEx",
            Carrier::Ups => "UPS",
            Carrier::Dhl => "DHL",
        }
    }

    /// How many days past its planned delivery a parcel may be rescheduled
    /// to: what each carrier's delivery-management service lets a shopper
    /// choose (FedEx Delivery Manager, UPS My Choice: a hold of up to 5
    /// days; DHL On Demand Delivery: up to 7).
    pub fn reschedule_hold_days(self) -> i64 {
        match self {
            Carrier::Fedex | Carrier::Ups => 5,
            Carrier::Dhl => 7,
        }
    }

    /// Normalizes (trims, drops inner spaces, upper-cases) and checks the
    /// number's shape: FedEx 12–34 digits; UPS `1Z` + 16 letters/digits or a
    /// 9–26 character mail-innovations number; DHL 10–39 letters/digits.
    pub fn parse_tracking_number(self, raw: &str) -> Result<String, InvalidTrackingNumber> {
        let number: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let alnum = !number.is_empty() && number.chars().all(|c| c.is_ascii_alphanumeric());
        let digits = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
        let (ok, rule) = match self {
            Carrier::Fedex => (digits && (12..=34).contains(&number.len()), "12 to 34 digits"),
            Carrier::Ups => (
                alnum
                    && ((number.starts_with("1Z") && number.len() == 18)
                        || (!number.starts_with("1Z") && (9..=26).contains(&number.len()))),
                "1Z followed by 16 letters or digits, or 9 to 26 letters or digits",
            ),
            Carrier::Dhl => (alnum && (10..=39).contains(&number.len()), "10 to 39 letters or digits"),
        };
        if ok {
            Ok(number)
        } else {
            Err(InvalidTrackingNumber { carrier: self, number: raw.to_owned(), rule })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_urls_follow_each_carrier_format() {
        assert_eq!(
            Carrier::Fedex.tracking_url("123456789012"),
            "https://www.fedex.com/fedextrack/?trknbr=123456789012"
        );
        assert!(Carrier::Ups.tracking_url("1Z999AA10123456784").ends_with("tracknum=1Z999AA10123456784"));
        assert!(Carrier::Dhl.tracking_url("1234567890").ends_with("tracking-id=1234567890"));
    }

    #[test]
    fn tracking_numbers_are_normalized_and_checked() {
        assert_eq!(Carrier::Ups.parse_tracking_number(" 1z999aa1 0123456784").unwrap(), "1Z999AA10123456784");
        assert_eq!(Carrier::Fedex.parse_tracking_number("1234 5678 9012").unwrap(), "123456789012");
        assert!(Carrier::Fedex.parse_tracking_number("12345").is_err());
        assert!(Carrier::Fedex.parse_tracking_number("ABCDEFGHIJKL").is_err());
        assert!(Carrier::Ups.parse_tracking_number("1Z123").is_err());
        assert!(Carrier::Dhl.parse_tracking_number("12345-67890").is_err());
        assert!(Carrier::Dhl.parse_tracking_number("JD014600006281230704").is_ok());
    }
}
