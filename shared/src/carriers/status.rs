//! The carrier-neutral tracking vocabulary every parser maps onto, and the
//! small table helpers the parsers share.
//!
//! Each carrier speaks its own codes (FedEx `DE` + exception `08`, UPS type
//! `X`, DHL `failure`). The rest of ordertrack only ever sees a
//! [`TrackingStatus`] (where the parcel is) plus an optional
//! [`TrackingDetail`] (why it is stuck), with the carrier's own code kept in
//! [`NormalizedEvent::carrier_code`] for support staff.
//!
//! The mappings are data: `static` arrays of rows looked up by `lookup` and
//! `match_keywords`, so a new code is one line in a table, not a new branch.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Carrier;
use crate::text_enum;

text_enum! {
    /// Where a parcel is, in words every carrier's codes map onto.
    TrackingStatus ("tracking status") {
        /// Label created / data received; the carrier does not have it yet.
        PreTransit => "pre_transit",
        InTransit => "in_transit",
        OutForDelivery => "out_for_delivery",
        /// Waiting at a counter, locker or access point for the recipient.
        AvailableForPickup => "available_for_pickup",
        Delivered => "delivered",
        /// The courier came and could not hand it over; another try follows.
        FailedAttempt => "failed_attempt",
        /// Stuck: customs, damage, address problem... see the detail.
        Exception => "exception",
        ReturnToSender => "return_to_sender",
        Cancelled => "cancelled",
        /// A code we cannot place. Never moves a parcel (progress 0).
        Unknown => "unknown",
    }
}

text_enum! {
    /// Why a parcel is delayed or stuck, when the carrier says.
    TrackingDetail ("tracking detail") {
        WeatherDelay => "weather_delay",
        CustomsDelay => "customs_delay",
        AddressIssue => "address_issue",
        Damaged => "damaged",
        Lost => "lost",
        Refused => "refused",
        FailedAttempt => "failed_attempt",
        CarrierDelay => "carrier_delay",
        /// Duties or import fees are due before release.
        CustomsPayment => "customs_payment",
        /// The recipient has to collect it.
        PickupRequired => "pickup_required",
        Held => "held",
        Other => "other",
    }
}

impl TrackingStatus {
    /// Nothing more will happen to the parcel: stop polling it.
    pub fn is_final(self) -> bool {
        matches!(self, TrackingStatus::Delivered | TrackingStatus::ReturnToSender | TrackingStatus::Cancelled)
    }

    /// The status's place on the forward path, so callers can refuse to move a
    /// parcel backwards when events arrive late or out of order (webhooks are
    /// not ordered, polls overlap):
    ///
    /// | progress | statuses |
    /// | --- | --- |
    /// | 0 | unknown |
    /// | 1 | pre_transit |
    /// | 2 | in_transit, failed_attempt, exception |
    /// | 3 | out_for_delivery, available_for_pickup |
    /// | 4 | delivered, return_to_sender, cancelled |
    ///
    /// The rule: apply an event's status when its progress is **greater than or
    /// equal to** the parcel's current progress. Equal progress is a sideways
    /// move (in transit → exception → in transit again; out for delivery →
    /// available for pickup) and is allowed; lower progress is stale and is
    /// ignored; `unknown` (0) therefore never changes a known status. A failed
    /// attempt sits at 2, not 3, so the next "out for delivery" still moves the
    /// parcel forward. Callers should also not leave a final status
    /// ([`is_final`](Self::is_final)) even for another progress-4 status.
    pub fn progress(self) -> u8 {
        match self {
            TrackingStatus::Unknown => 0,
            TrackingStatus::PreTransit => 1,
            TrackingStatus::InTransit | TrackingStatus::FailedAttempt | TrackingStatus::Exception => 2,
            TrackingStatus::OutForDelivery | TrackingStatus::AvailableForPickup => 3,
            TrackingStatus::Delivered | TrackingStatus::ReturnToSender | TrackingStatus::Cancelled => 4,
        }
    }
}

/// One carrier event in ordertrack's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormalizedEvent {
    pub status: TrackingStatus,
    pub detail: Option<TrackingDetail>,
    /// The carrier's own code(s), e.g. FedEx `"DE/08"` (event type / exception
    /// code), UPS `"X/48"` (status type / code), DHL `"failure"`.
    pub carrier_code: String,
    /// The carrier's human text, as they wrote it.
    pub description: String,
    /// `"City, ST, CC"`, whichever parts the carrier gave.
    pub location: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

/// What a carrier said about one parcel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingUpdate {
    pub carrier: Carrier,
    pub tracking_number: String,
    /// Oldest first.
    pub events: Vec<NormalizedEvent>,
    pub estimated_delivery: Option<DateTime<Utc>>,
    /// The part of the carrier's payload about this parcel, kept verbatim for
    /// support and for re-parsing when a mapping improves.
    pub raw: Value,
}

/// A payload that is not the carrier's documented shape.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("unexpected carrier payload: {0}")]
    Shape(String),
}

/// A row of a carrier's code table: the code, and what it means.
pub(crate) type CodeRow = (&'static str, TrackingStatus, Option<TrackingDetail>);

/// A row of a keyword table: a lower-case phrase searched for in the carrier's
/// text, and the status and/or detail it implies.
pub(crate) type KeywordRow = (&'static str, Option<TrackingStatus>, Option<TrackingDetail>);

/// The meaning of `code` in `table` (codes compare case-insensitively and
/// ignoring surrounding spaces; an empty code never matches).
pub(crate) fn lookup(table: &[CodeRow], code: &str) -> Option<(TrackingStatus, Option<TrackingDetail>)> {
    let code = code.trim();
    if code.is_empty() {
        return None;
    }
    table.iter().find(|(c, _, _)| c.eq_ignore_ascii_case(code)).map(|&(_, status, detail)| (status, detail))
}

/// The first status and the first detail, in table order, whose phrase occurs
/// in `text` (case-insensitive). Table order matters: put specific phrases
/// ("not delivered") before general ones ("delivered").
pub(crate) fn match_keywords(table: &[KeywordRow], text: &str) -> (Option<TrackingStatus>, Option<TrackingDetail>) {
    let text = text.to_lowercase();
    let mut status = None;
    let mut detail = None;
    for &(phrase, row_status, row_detail) in table {
        if text.contains(phrase) {
            status = status.or(row_status);
            detail = detail.or(row_detail);
        }
    }
    (status, detail)
}

/// Phrases that explain a problem in any carrier's free text. The FedEx and
/// UPS parsers use them for the detail only, and only on events already known
/// to be an exception or a failed attempt whose codes do not say why: the
/// same words on a normal scan ("Clearance in progress") are not a delay.
pub(crate) static DETAIL_KEYWORDS: &[KeywordRow] = &[
    ("weather", None, Some(TrackingDetail::WeatherDelay)),
    ("import fees", None, Some(TrackingDetail::CustomsPayment)),
    ("duties", None, Some(TrackingDetail::CustomsPayment)),
    ("customs", None, Some(TrackingDetail::CustomsDelay)),
    ("clearance", None, Some(TrackingDetail::CustomsDelay)),
    ("address", None, Some(TrackingDetail::AddressIssue)),
    ("damage", None, Some(TrackingDetail::Damaged)),
    ("refused", None, Some(TrackingDetail::Refused)),
];

/// A carrier timestamp in UTC: RFC 3339 with an offset, or a local time
/// without one, which is taken as UTC (DHL and some FedEx fields omit the
/// zone; an hour's error beats dropping the event). `None` when unreadable.
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    if let Ok(at) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(at.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| naive.and_utc())
}

/// `"City, ST, CC"` from whichever parts are present; `None` if none are.
pub(crate) fn join_location(parts: &[&str]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(", "))
    }
}

/// The trimmed string at `key` of a JSON object, `""` when absent or not a
/// string (carriers send `""` and omit fields interchangeably).
pub(crate) fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("")
}

/// The array at `key`: `Ok(&[])` when absent or null, an error when present
/// but not an array (that is not the documented shape).
pub(crate) fn array<'a>(value: &'a Value, key: &str) -> Result<&'a [Value], ParseError> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ParseError::Shape(format!("'{key}' is not an array"))),
    }
}

/// Events oldest first. Carriers list newest first, so the input is reversed
/// before the stable sort: events stamped with the same instant then keep the
/// order the carrier really saw them in.
pub(crate) fn chronological(mut events: Vec<NormalizedEvent>) -> Vec<NormalizedEvent> {
    events.reverse();
    events.sort_by_key(|event| event.occurred_at);
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn statuses_and_details_round_trip_through_text() {
        for status in TrackingStatus::ALL {
            assert_eq!(status.as_str().parse::<TrackingStatus>().unwrap(), *status);
        }
        for detail in TrackingDetail::ALL {
            assert_eq!(detail.as_str().parse::<TrackingDetail>().unwrap(), *detail);
        }
        assert_eq!(TrackingStatus::ALL.len(), 10);
        assert_eq!(TrackingDetail::ALL.len(), 12);
        let err = "lost_in_space".parse::<TrackingStatus>().unwrap_err();
        assert!(err.to_string().contains("tracking status"));
    }

    #[test]
    fn only_delivered_returned_and_cancelled_are_final() {
        let finals: Vec<_> = TrackingStatus::ALL.iter().copied().filter(|s| s.is_final()).collect();
        assert_eq!(finals, vec![TrackingStatus::Delivered, TrackingStatus::ReturnToSender, TrackingStatus::Cancelled]);
        for status in TrackingStatus::ALL {
            assert_eq!(status.is_final(), status.progress() == 4, "{status}");
        }
    }

    #[test]
    fn progress_orders_the_forward_path() {
        use TrackingStatus::*;
        let path = [PreTransit, InTransit, OutForDelivery, Delivered];
        assert!(path.windows(2).all(|w| w[0].progress() < w[1].progress()));
        assert_eq!(Unknown.progress(), 0);
        assert_eq!(FailedAttempt.progress(), InTransit.progress());
        assert_eq!(Exception.progress(), InTransit.progress());
        assert_eq!(AvailableForPickup.progress(), OutForDelivery.progress());
        // A failed attempt does not block the next "out for delivery".
        assert!(OutForDelivery.progress() > FailedAttempt.progress());
        // Unknown never overrides anything known.
        assert!(TrackingStatus::ALL.iter().filter(|s| **s != Unknown).all(|s| s.progress() > 0));
    }

    #[test]
    fn lookup_ignores_case_and_spaces_and_never_matches_empty() {
        static TABLE: &[CodeRow] = &[
            ("DL", TrackingStatus::Delivered, None),
            ("", TrackingStatus::Exception, None),
            ("cd", TrackingStatus::Exception, Some(TrackingDetail::CustomsDelay)),
        ];
        assert_eq!(lookup(TABLE, " dl "), Some((TrackingStatus::Delivered, None)));
        assert_eq!(lookup(TABLE, "CD"), Some((TrackingStatus::Exception, Some(TrackingDetail::CustomsDelay))));
        assert_eq!(lookup(TABLE, ""), None);
        assert_eq!(lookup(TABLE, "ZZ"), None);
    }

    #[test]
    fn keywords_take_the_first_status_and_the_first_detail_separately() {
        static TABLE: &[KeywordRow] = &[
            ("not delivered", Some(TrackingStatus::Exception), None),
            ("delivered", Some(TrackingStatus::Delivered), None),
            ("weather", None, Some(TrackingDetail::WeatherDelay)),
            ("customs", None, Some(TrackingDetail::CustomsDelay)),
        ];
        assert_eq!(
            match_keywords(TABLE, "Parcel NOT DELIVERED due to Weather; customs pending"),
            (Some(TrackingStatus::Exception), Some(TrackingDetail::WeatherDelay))
        );
        assert_eq!(match_keywords(TABLE, "Delivered"), (Some(TrackingStatus::Delivered), None));
        assert_eq!(match_keywords(TABLE, "Arrived at facility"), (None, None));
    }

    #[test]
    fn detail_keywords_prefer_payment_over_plain_customs() {
        assert_eq!(
            match_keywords(DETAIL_KEYWORDS, "Import fees and duties are due; held at customs").1,
            Some(TrackingDetail::CustomsPayment)
        );
        assert_eq!(match_keywords(DETAIL_KEYWORDS, "Clearance delay").1, Some(TrackingDetail::CustomsDelay));
        assert_eq!(match_keywords(DETAIL_KEYWORDS, "Severe weather").1, Some(TrackingDetail::WeatherDelay));
        assert_eq!(match_keywords(DETAIL_KEYWORDS, "Picked up").1, None);
    }

    #[test]
    fn timestamps_with_offsets_are_converted_and_zoneless_ones_are_utc() {
        let utc = |y, mo, d, h, mi, s| Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap();
        assert_eq!(parse_timestamp("2026-09-24T08:12:00-05:00"), Some(utc(2026, 9, 24, 13, 12, 0)));
        assert_eq!(parse_timestamp("2026-09-24T14:30:00Z"), Some(utc(2026, 9, 24, 14, 30, 0)));
        assert_eq!(parse_timestamp("2026-09-24T14:30:00+0200"), Some(utc(2026, 9, 24, 12, 30, 0)));
        assert_eq!(parse_timestamp("2023-05-02T19:25:28"), Some(utc(2023, 5, 2, 19, 25, 28)));
        assert_eq!(parse_timestamp(" 2023-05-02T19:25 "), Some(utc(2023, 5, 2, 19, 25, 0)));
        assert_eq!(parse_timestamp("2023-05-02T19:25:28.500").map(|t| t.timestamp_subsec_millis()), Some(500));
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2026-13-45T99:00:00Z"), None);
    }

    #[test]
    fn locations_join_present_parts() {
        assert_eq!(join_location(&["MEMPHIS", "TN", "US"]).as_deref(), Some("MEMPHIS, TN, US"));
        assert_eq!(join_location(&["Leipzig", " ", "DE"]).as_deref(), Some("Leipzig, DE"));
        assert_eq!(join_location(&["", ""]), None);
    }

    #[test]
    fn json_helpers_tolerate_absence_but_not_wrong_types() {
        let value = serde_json::json!({"a": " x ", "n": 3, "list": [1, 2], "null": null, "obj": {}});
        assert_eq!(text(&value, "a"), "x");
        assert_eq!(text(&value, "n"), "");
        assert_eq!(text(&value, "missing"), "");
        assert_eq!(array(&value, "list").unwrap().len(), 2);
        assert!(array(&value, "missing").unwrap().is_empty());
        assert!(array(&value, "null").unwrap().is_empty());
        assert!(array(&value, "obj").is_err());
    }

    fn event(at: i64, description: &str) -> NormalizedEvent {
        NormalizedEvent {
            status: TrackingStatus::InTransit,
            detail: None,
            carrier_code: "IT".into(),
            description: description.into(),
            location: None,
            occurred_at: Utc.timestamp_opt(at, 0).unwrap(),
        }
    }

    #[test]
    fn chronological_sorts_oldest_first_and_keeps_carrier_order_for_ties() {
        // Newest first, as carriers send them; "b" and "c" share an instant and
        // the carrier saw "b" before "c" (it lists "c" first).
        let events = vec![event(300, "d"), event(200, "c"), event(200, "b"), event(100, "a")];
        let order: Vec<_> = chronological(events).into_iter().map(|e| e.description).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    #[test]
    fn events_serialize_with_snake_case_codes() {
        let mut e = event(1_790_000_000, "Clearance delay");
        e.status = TrackingStatus::Exception;
        e.detail = Some(TrackingDetail::CustomsDelay);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["status"], "exception");
        assert_eq!(json["detail"], "customs_delay");
        let back: NormalizedEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}
