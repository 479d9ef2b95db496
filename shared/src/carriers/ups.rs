//! UPS Track API responses (`GET /api/track/v1/details/{number}`) and UPS
//! Track Alert webhook events.
//!
//! An activity's status comes, in order, from its two-letter `code` or its
//! three-digit `statusCode`/`descriptionCode` when listed in `ACTIVITY_CODES`
//! / `STATUS_CODES`; else from its status `type` (the code's class: M, MV, I,
//! P, D, X, RS, U). Only where the type leaves the meaning open (X exception,
//! D delivery, an unknown type) may words in the description sharpen it
//! (`KEYWORDS`: "not available", "UPS Access Point", "out for delivery"); an
//! ordinary in-transit scan that mentions an access point stays in transit.
//! Exceptions and failed attempts get their detail from the description
//! (weather, customs, address, damage, refused).
//!
//! Sources checked (2026):
//! - UPS's published OpenAPI specs (github.com/UPS-API/api-documentation):
//!   `Tracking.yaml` (shape; activities newest first; `gmtDate`/`gmtTime`/
//!   `gmtOffset`; delivery date types SDD/RDD/DEL; delivery time types
//!   EOD/CMT/EDW/CDW/IDW/DEL; `transId`/`transactionSrc` headers; 404 = "not
//!   found") and `UPSTrackAlert.yaml` (event shape; status types D delivery,
//!   I on the way, M manifest, MV manifest void, U updated delivery date/time,
//!   X exception; example events `MP` 003 "Shipment Ready for UPS", `OR`/`DP`
//!   005 "On the Way", `YP` 071 "Preparing for Delivery", `OT` 021 "Out for
//!   Delivery", `FS` 011 "Delivered"). Track Alert notes that type D also
//!   covers "loaded on delivery vehicle" and "out for delivery", hence the
//!   keywords on D.
//! - Real Track API responses in open-source fixtures: `AR`/`AF` type I, `OT`
//!   type I, `FS` type D; `gmtTime` sent as `"09:41:00"` although the spec
//!   says HHMMSS, and the spec's own example is `"74700"` (leading zero
//!   dropped), so all three forms are read.
//!
//! Assumptions and gaps: type `P` (pickup) and `RS` (returned to shipper) come
//! from older UPS clients, not the current spec. The codes the brief suggested
//! (`OF`, `DL`, `UR`, `48`, `AM`, `2W`, `ZP`, `KB`) could not be confirmed, so
//! they are not in the table and such events fall back to their type and
//! description; `KB` appears in UPS sandbox data as "UPS INTERNAL ACTIVITY
//! CODE", so mapping it to a pickup point would have been wrong. `U` maps to
//! `unknown`: a new date is not movement (the date itself lands in
//! `estimated_delivery`).
//!
//! Times: `gmtDate`+`gmtTime` (UTC) when present, else `date`+`time` shifted
//! by `gmtOffset`, else the local time read as UTC. Estimated delivery dates
//! carry no zone either and are read as UTC (midnight when no end time).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde_json::Value;

use super::status::{
    array, chronological, join_location, lookup, match_keywords, text, CodeRow, KeywordRow, NormalizedEvent,
    ParseError, TrackingDetail, TrackingStatus, TrackingUpdate, DETAIL_KEYWORDS,
};
use crate::domain::Carrier;

use TrackingDetail as D;
use TrackingStatus as S;

/// Status `type` → status: the class every code belongs to.
static STATUS_TYPES: &[CodeRow] = &[
    ("M", S::PreTransit, None),     // manifest: label created / billing information received
    ("MV", S::Cancelled, None),     // manifest void
    ("P", S::InTransit, None),      // pickup
    ("I", S::InTransit, None),      // in transit / on the way
    ("O", S::OutForDelivery, None), // out for delivery (older APIs)
    ("D", S::Delivered, None),
    ("X", S::Exception, None),
    ("RS", S::ReturnToSender, None),
    ("U", S::Unknown, None), // updated delivery date: not movement
];

/// Two-letter activity `code` → status, for codes confirmed in UPS examples.
static ACTIVITY_CODES: &[CodeRow] = &[
    ("MP", S::PreTransit, None), // shipment ready for UPS
    ("OR", S::InTransit, None),  // origin scan
    ("DP", S::InTransit, None),  // departure scan
    ("AR", S::InTransit, None),  // arrival scan
    ("AF", S::InTransit, None),  // arrived at facility
    ("YP", S::InTransit, None),  // preparing for delivery
    ("OT", S::OutForDelivery, None),
    ("FS", S::Delivered, None),
];

/// Three-digit `statusCode` (Track API) / `descriptionCode` (Track Alert).
static STATUS_CODES: &[CodeRow] = &[
    ("003", S::PreTransit, None),
    ("005", S::InTransit, None),
    ("071", S::InTransit, None),
    ("021", S::OutForDelivery, None),
    ("011", S::Delivered, None),
];

/// Description phrases that sharpen an exception, a delivery-type or an
/// unknown-type activity. Attempts come before access points: "...delivered
/// to a UPS Access Point after the final attempt" is still an attempt.
static KEYWORDS: &[KeywordRow] = &[
    ("not available", Some(S::FailedAttempt), Some(D::FailedAttempt)),
    ("not home", Some(S::FailedAttempt), Some(D::FailedAttempt)),
    ("business was closed", Some(S::FailedAttempt), Some(D::FailedAttempt)),
    ("delivery attempt", Some(S::FailedAttempt), Some(D::FailedAttempt)),
    ("attempted delivery", Some(S::FailedAttempt), Some(D::FailedAttempt)),
    ("final attempt", Some(S::FailedAttempt), Some(D::FailedAttempt)),
    ("second attempt", Some(S::FailedAttempt), Some(D::FailedAttempt)),
    ("access point", Some(S::AvailableForPickup), Some(D::PickupRequired)),
    ("available for pickup", Some(S::AvailableForPickup), Some(D::PickupRequired)),
    ("ready for pickup", Some(S::AvailableForPickup), Some(D::PickupRequired)),
    ("out for delivery", Some(S::OutForDelivery), None),
    ("loaded on delivery vehicle", Some(S::OutForDelivery), None),
];

/// A Track API response: `{"trackResponse": {"shipment": [{"package": [...]}]}}`,
/// one update per package. A shipment with only `warnings` (no package) gives
/// none.
pub fn parse_track_response(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
    let shipments = body
        .pointer("/trackResponse/shipment")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError::Shape("no 'trackResponse.shipment' array".into()))?;
    let mut updates = Vec::new();
    for shipment in shipments {
        for package in array(shipment, "package")? {
            updates.push(parse_package(package, text(shipment, "inquiryNumber"))?);
        }
    }
    Ok(updates)
}

/// One Track Alert event (the body UPS POSTs to our webhook) as one update
/// with one event. Unlike a poll, the event is the whole message, so an
/// unreadable date is an error rather than a skipped event.
pub fn parse_track_alert(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
    let number = text(body, "trackingNumber");
    if number.is_empty() {
        return Err(ParseError::Shape("Track Alert event without a trackingNumber".into()));
    }
    let status = body
        .get("activityStatus")
        .filter(|s| s.is_object())
        .ok_or_else(|| ParseError::Shape("Track Alert event without an activityStatus".into()))?;
    let occurred_at = activity_time(
        (text(body, "gmtActivityDate"), text(body, "gmtActivityTime")),
        (text(body, "localActivityDate"), text(body, "localActivityTime")),
        "",
    )
    .ok_or_else(|| ParseError::Shape(format!("Track Alert event for {number} without a readable date")))?;
    let location = body
        .get("activityLocation")
        .and_then(|l| join_location(&[text(l, "city"), text(l, "stateProvince"), text(l, "country")]));
    let event = event(status, text(status, "descriptionCode"), location, occurred_at);
    let estimated_delivery = local_as_utc(text(body, "scheduledDeliveryDate"), text(body, "deliveryEndTime"));
    Ok(vec![TrackingUpdate {
        carrier: Carrier::Ups,
        tracking_number: number.to_owned(),
        events: vec![event],
        estimated_delivery,
        raw: body.clone(),
    }])
}

fn parse_package(package: &Value, inquiry_number: &str) -> Result<TrackingUpdate, ParseError> {
    if !package.is_object() {
        return Err(ParseError::Shape("a package is not an object".into()));
    }
    let number = Some(text(package, "trackingNumber")).filter(|n| !n.is_empty()).unwrap_or(inquiry_number);
    if number.is_empty() {
        return Err(ParseError::Shape("a package has no tracking number".into()));
    }
    let mut events = Vec::new();
    for activity in array(package, "activity")? {
        let Some(status) = activity.get("status").filter(|s| s.is_object()) else {
            return Err(ParseError::Shape(format!("an activity of {number} has no status")));
        };
        let Some(at) = activity_time(
            (text(activity, "gmtDate"), text(activity, "gmtTime")),
            (text(activity, "date"), text(activity, "time")),
            text(activity, "gmtOffset"),
        ) else {
            tracing::warn!(number, date = text(activity, "date"), "skipping a UPS activity with an unreadable date");
            continue;
        };
        let location = activity.pointer("/location/address").and_then(|a| {
            let country = Some(text(a, "countryCode")).filter(|c| !c.is_empty()).unwrap_or(text(a, "country"));
            join_location(&[text(a, "city"), text(a, "stateProvince"), country])
        });
        events.push(event(status, text(status, "statusCode"), location, at));
    }
    Ok(TrackingUpdate {
        carrier: Carrier::Ups,
        tracking_number: number.to_owned(),
        events: chronological(events),
        estimated_delivery: package_estimate(package),
        raw: package.clone(),
    })
}

fn event(status: &Value, status_code: &str, location: Option<String>, occurred_at: DateTime<Utc>) -> NormalizedEvent {
    let (kind, code, description) = (text(status, "type"), text(status, "code"), text(status, "description"));
    let (status, detail) = map_activity(kind, code, status_code, description);
    let carrier_code = match (kind.is_empty(), code.is_empty()) {
        (false, false) => format!("{kind}/{code}"),
        (true, _) => code.to_owned(),
        (false, true) => kind.to_owned(),
    };
    NormalizedEvent { status, detail, carrier_code, description: description.to_owned(), location, occurred_at }
}

fn map_activity(
    kind: &str,
    code: &str,
    status_code: &str,
    description: &str,
) -> (TrackingStatus, Option<TrackingDetail>) {
    if let Some(exact) = lookup(ACTIVITY_CODES, code).or_else(|| lookup(STATUS_CODES, status_code)) {
        return with_reason(exact, description);
    }
    let class = lookup(STATUS_TYPES, kind).unwrap_or((S::Unknown, None));
    if matches!(class.0, S::Exception | S::Delivered | S::Unknown) {
        if let (Some(status), detail) = match_keywords(KEYWORDS, description) {
            return with_reason((status, detail), description);
        }
    }
    with_reason(class, description)
}

/// Adds the reason an exception or failed attempt gives in its description.
fn with_reason(
    (status, detail): (TrackingStatus, Option<TrackingDetail>),
    description: &str,
) -> (TrackingStatus, Option<TrackingDetail>) {
    let reason = match status {
        S::Exception | S::FailedAttempt => match_keywords(DETAIL_KEYWORDS, description).1,
        _ => None,
    };
    // "Not available... severe weather" says more as weather than as an attempt.
    (status, reason.or(detail))
}

/// The rescheduled (RDD) or else scheduled (SDD) delivery date, with the end
/// of the delivery window or commit time when given.
fn package_estimate(package: &Value) -> Option<DateTime<Utc>> {
    let dates = package.get("deliveryDate").and_then(Value::as_array)?;
    let date = ["RDD", "SDD"].iter().find_map(|kind| dates.iter().find(|d| text(d, "type") == *kind))?;
    let time = package.get("deliveryTime").filter(|t| text(t, "type") != "DEL").map(|t| text(t, "endTime"));
    local_as_utc(text(date, "date"), time.unwrap_or(""))
}

/// UTC from the GMT pair when readable, else the local pair shifted by the
/// offset, else the local pair read as UTC.
fn activity_time(gmt: (&str, &str), local: (&str, &str), offset: &str) -> Option<DateTime<Utc>> {
    if let Some(at) = naive(gmt.0, gmt.1) {
        return Some(at.and_utc());
    }
    let local = naive(local.0, local.1)?;
    match parse_offset(offset).and_then(|o| o.from_local_datetime(&local).single()) {
        Some(at) => Some(at.with_timezone(&Utc)),
        None => Some(local.and_utc()),
    }
}

/// A zoneless UPS date (and optional time) read as UTC.
fn local_as_utc(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let time = if time.is_empty() { "000000" } else { time };
    naive(date, time).map(|at| at.and_utc())
}

/// `YYYYMMDD` (or `YYYY-MM-DD`) and `HHMMSS`, `HMMSS`, `HHMM` or `HH:MM:SS`.
fn naive(date: &str, time: &str) -> Option<NaiveDateTime> {
    let date =
        NaiveDate::parse_from_str(date, "%Y%m%d").or_else(|_| NaiveDate::parse_from_str(date, "%Y-%m-%d")).ok()?;
    let digits: String = time.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = if digits.len() == 4 { format!("{digits}00") } else { format!("{digits:0>6}") };
    let number = |range: std::ops::Range<usize>| digits.get(range).and_then(|d| d.parse::<u32>().ok());
    let time = NaiveTime::from_hms_opt(number(0..2)?, number(2..4)?, number(4..6)?)?;
    Some(date.and_time(time))
}

/// `-04:00` or `-0400`.
fn parse_offset(offset: &str) -> Option<FixedOffset> {
    let (sign, rest) = match offset.trim().split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    fn activity(kind: &str, code: &str, status_code: &str, description: &str, gmt_time: &str) -> Value {
        json!({
            "location": {"address": {"city": "Louisville", "stateProvince": "KY", "countryCode": "US", "country": "US"},
                         "slic": "4009"},
            "status": {"type": kind, "description": description, "code": code, "statusCode": status_code},
            "date": "20260924", "time": "143000",
            "gmtDate": "20260924", "gmtOffset": "-04:00", "gmtTime": gmt_time
        })
    }

    fn response(activities: Vec<Value>) -> Value {
        json!({"trackResponse": {"shipment": [{
            "inquiryNumber": "1Z023E2X0214323462",
            "package": [{
                "trackingNumber": "1Z023E2X0214323462",
                "deliveryDate": [{"type": "SDD", "date": "20260925"}],
                "deliveryTime": {"type": "EOD", "endTime": "200000"},
                "activity": activities,
                "currentStatus": {"description": "On the Way", "code": "005"},
                "packageCount": 1,
                "service": {"code": "003", "levelCode": "003", "description": "UPS Ground"},
                "weight": {"unitOfMeasurement": "LBS", "weight": "2.00"}
            }]
        }]}})
    }

    fn single(kind: &str, code: &str, status_code: &str, description: &str) -> NormalizedEvent {
        let updates =
            parse_track_response(&response(vec![activity(kind, code, status_code, description, "183000")])).unwrap();
        updates[0].events[0].clone()
    }

    #[test]
    fn a_package_becomes_one_update_with_events_oldest_first() {
        let body = response(vec![
            activity("I", "OT", "021", "Out For Delivery Today", "183000"),
            activity("I", "AR", "005", "Arrived at Facility", "12:47:14"),
            activity("I", "OR", "005", "Origin Scan", "09:41:00"),
            activity("M", "MP", "003", "Shipment Ready for UPS", "74700"),
        ]);
        let updates = parse_track_response(&body).unwrap();
        assert_eq!(updates.len(), 1);
        let update = &updates[0];
        assert_eq!(update.carrier, Carrier::Ups);
        assert_eq!(update.tracking_number, "1Z023E2X0214323462");
        let statuses: Vec<_> = update.events.iter().map(|e| e.status).collect();
        assert_eq!(statuses, [S::PreTransit, S::InTransit, S::InTransit, S::OutForDelivery]);
        let times: Vec<_> = update.events.iter().map(|e| e.occurred_at).collect();
        assert_eq!(
            times,
            [
                utc(2026, 9, 24, 7, 47, 0),
                utc(2026, 9, 24, 9, 41, 0),
                utc(2026, 9, 24, 12, 47, 14),
                utc(2026, 9, 24, 18, 30, 0)
            ]
        );
        assert_eq!(update.events[0].carrier_code, "M/MP");
        assert_eq!(update.events[3].description, "Out For Delivery Today");
        assert_eq!(update.events[3].location.as_deref(), Some("Louisville, KY, US"));
        assert_eq!(update.estimated_delivery, Some(utc(2026, 9, 25, 20, 0, 0)));
        assert_eq!(update.raw["service"]["description"], "UPS Ground");
    }

    #[test]
    fn status_types_give_the_class_of_unlisted_codes() {
        let cases = [
            ("M", S::PreTransit),
            ("MV", S::Cancelled),
            ("P", S::InTransit),
            ("I", S::InTransit),
            ("D", S::Delivered),
            ("X", S::Exception),
            ("RS", S::ReturnToSender),
            ("U", S::Unknown),
            ("W", S::Unknown),
        ];
        for (kind, status) in cases {
            assert_eq!(single(kind, "ZZ", "", "Status").status, status, "{kind}");
        }
    }

    #[test]
    fn confirmed_codes_win_over_the_type() {
        assert_eq!(single("I", "OT", "021", "Out For Delivery Today").status, S::OutForDelivery);
        assert_eq!(single("D", "FS", "011", "DELIVERED ").status, S::Delivered);
        assert_eq!(single("I", "YP", "071", "Preparing for Delivery").status, S::InTransit);
        assert_eq!(single("M", "MP", "003", "Shipment Ready for UPS").status, S::PreTransit);
        // An unlisted code with a known three-digit status code.
        assert_eq!(single("I", "ZZ", "021", "Out for delivery").status, S::OutForDelivery);
    }

    #[test]
    fn exception_descriptions_sharpen_status_and_detail() {
        let attempt = single(
            "X",
            "48",
            "",
            "The receiver was not available for delivery. We'll make a second attempt the next business day.",
        );
        assert_eq!((attempt.status, attempt.detail), (S::FailedAttempt, Some(D::FailedAttempt)));
        assert_eq!(attempt.carrier_code, "X/48");

        let address = single("X", "UR", "", "The street number is incorrect. This may delay delivery.");
        assert_eq!((address.status, address.detail), (S::Exception, None));
        let address = single("X", "UR", "", "The address is incomplete. We're attempting to update it.");
        assert_eq!((address.status, address.detail), (S::Exception, Some(D::AddressIssue)));

        let weather = single("X", "2Q", "", "Severe weather conditions have delayed delivery.");
        assert_eq!((weather.status, weather.detail), (S::Exception, Some(D::WeatherDelay)));
        let customs = single("X", "CU", "", "Your package is being held by customs. Clearance in progress.");
        assert_eq!(customs.detail, Some(D::CustomsDelay));
        let fees = single("X", "IF", "", "The receiver's import fees (duties and taxes) are due.");
        assert_eq!(fees.detail, Some(D::CustomsPayment));
        let damaged = single("X", "DM", "", "The package was damaged and the contents discarded.");
        assert_eq!(damaged.detail, Some(D::Damaged));
        let refused = single("X", "RF", "", "The receiver refused the delivery.");
        assert_eq!((refused.status, refused.detail), (S::Exception, Some(D::Refused)));
        // A failed attempt for a reason keeps the reason.
        let snowed = single("X", "2W", "", "Delivery attempt could not be completed due to severe weather.");
        assert_eq!((snowed.status, snowed.detail), (S::FailedAttempt, Some(D::WeatherDelay)));
    }

    #[test]
    fn access_points_and_delivery_types_are_read_from_the_description() {
        let ap =
            single("X", "ZP", "", "Your package is at the UPS Access Point™ location and is available for pickup.");
        assert_eq!((ap.status, ap.detail), (S::AvailableForPickup, Some(D::PickupRequired)));
        let delivered_to_ap = single("D", "2Q", "", "Delivered to UPS Access Point™");
        assert_eq!(delivered_to_ap.status, S::AvailableForPickup);
        // Track Alert: type D also covers the delivery vehicle.
        assert_eq!(single("D", "ZZ", "", "Loaded on Delivery Vehicle").status, S::OutForDelivery);
        assert_eq!(single("D", "ZZ", "", "DELIVERED").status, S::Delivered);
        // A normal scan that mentions an access point stays in transit.
        let on_the_way = single("I", "ZZ", "", "On the way to the UPS Access Point™ location");
        assert_eq!((on_the_way.status, on_the_way.detail), (S::InTransit, None));
    }

    #[test]
    fn local_times_use_the_offset_or_else_count_as_utc() {
        let mut with_offset = activity("I", "AR", "005", "Arrived at Facility", "");
        with_offset.as_object_mut().unwrap().remove("gmtDate");
        let mut no_offset = with_offset.clone();
        no_offset["gmtOffset"] = json!("");
        let mut compact_offset = with_offset.clone();
        compact_offset["gmtOffset"] = json!("+0530");
        let update = &parse_track_response(&response(vec![with_offset, no_offset, compact_offset])).unwrap()[0];
        let times: Vec<_> = update.events.iter().map(|e| e.occurred_at).collect();
        assert_eq!(times, [utc(2026, 9, 24, 9, 0, 0), utc(2026, 9, 24, 14, 30, 0), utc(2026, 9, 24, 18, 30, 0)]);
    }

    #[test]
    fn activities_with_unreadable_dates_are_skipped() {
        let mut bad = activity("I", "AR", "005", "Arrived at Facility", "");
        bad["gmtDate"] = json!("");
        bad["date"] = json!("24/09/2026");
        let good = activity("I", "OR", "005", "Origin Scan", "183000");
        let update = &parse_track_response(&response(vec![bad, good])).unwrap()[0];
        assert_eq!(update.events.len(), 1);
        assert_eq!(update.events[0].carrier_code, "I/OR");
    }

    #[test]
    fn time_formats_are_read_leniently() {
        assert_eq!(naive("20260924", "74700").map(|t| t.and_utc()), Some(utc(2026, 9, 24, 7, 47, 0)));
        assert_eq!(naive("20260924", "09:41:00").map(|t| t.and_utc()), Some(utc(2026, 9, 24, 9, 41, 0)));
        assert_eq!(naive("2026-09-24", "1430").map(|t| t.and_utc()), Some(utc(2026, 9, 24, 14, 30, 0)));
        assert_eq!(naive("20260924", "250000"), None);
        assert_eq!(naive("20260924", "12a000"), None);
        assert_eq!(naive("20260924", "1234567"), None);
        assert_eq!(naive("20260931", "120000"), None);
        assert_eq!(parse_offset("-04:00"), FixedOffset::west_opt(4 * 3600));
        assert_eq!(parse_offset("+0530"), FixedOffset::east_opt(5 * 3600 + 30 * 60));
        assert_eq!(parse_offset("04:00"), None);
        assert_eq!(parse_offset(""), None);
    }

    #[test]
    fn estimates_prefer_the_rescheduled_date_and_ignore_delivered_times() {
        let mut body = response(vec![]);
        let package = &mut body["trackResponse"]["shipment"][0]["package"][0];
        package["deliveryDate"] = json!([{"type": "SDD", "date": "20260925"}, {"type": "RDD", "date": "20260926"}]);
        package["deliveryTime"] = json!({"type": "EDW", "startTime": "140000", "endTime": "180000"});
        assert_eq!(parse_track_response(&body).unwrap()[0].estimated_delivery, Some(utc(2026, 9, 26, 18, 0, 0)));

        let package = &mut body["trackResponse"]["shipment"][0]["package"][0];
        package["deliveryTime"] = json!({"type": "DEL", "endTime": "120435"});
        assert_eq!(parse_track_response(&body).unwrap()[0].estimated_delivery, Some(utc(2026, 9, 26, 0, 0, 0)));

        let package = &mut body["trackResponse"]["shipment"][0]["package"][0];
        package["deliveryDate"] = json!([{"type": "DEL", "date": "20260924"}]);
        assert_eq!(parse_track_response(&body).unwrap()[0].estimated_delivery, None);
    }

    #[test]
    fn shipments_with_only_warnings_give_no_update() {
        let body = json!({"trackResponse": {"shipment": [{
            "inquiryNumber": "1Z12345E0205271688",
            "warnings": [{"code": "TW0001", "message": "Tracking Information Not Found"}]
        }]}});
        assert!(parse_track_response(&body).unwrap().is_empty());
    }

    #[test]
    fn the_inquiry_number_stands_in_for_a_missing_package_number() {
        let mut body = response(vec![]);
        body["trackResponse"]["shipment"][0]["package"][0].as_object_mut().unwrap().remove("trackingNumber");
        assert_eq!(parse_track_response(&body).unwrap()[0].tracking_number, "1Z023E2X0214323462");
    }

    #[test]
    fn bodies_that_are_not_the_documented_shape_are_errors() {
        assert!(parse_track_response(
            &json!({"response": {"errors": [{"code": "TV1002", "message": "Invalid inquiry number"}]}})
        )
        .is_err());
        assert!(parse_track_response(&json!({"trackResponse": {"shipment": {}}})).is_err());
        assert!(parse_track_response(&json!({"trackResponse": {"shipment": [{"package": "x"}]}})).is_err());
        assert!(parse_track_response(&json!({"trackResponse": {"shipment": [{"package": [7]}]}})).is_err());
        assert!(parse_track_response(&json!({"trackResponse": {"shipment": [{"package": [{}]}]}})).is_err());
        let mut no_status = response(vec![activity("I", "OR", "005", "Origin Scan", "183000")]);
        no_status["trackResponse"]["shipment"][0]["package"][0]["activity"][0]
            .as_object_mut()
            .unwrap()
            .remove("status");
        assert!(parse_track_response(&no_status).is_err());
    }

    fn alert(kind: &str, code: &str, description: &str, description_code: &str) -> Value {
        json!({
            "trackingNumber": " 1ZABCXYZ0112346789",
            "localActivityDate": "20260924",
            "localActivityTime": "143000",
            "gmtActivityDate": "20260924",
            "gmtActivityTime": "183000",
            "activityLocation": {"city": "Louisville", "stateProvince": "KY", "postalCode": "", "country": "US"},
            "activityStatus": {"type": kind, "code": code, "description": description,
                               "descriptionCode": description_code},
            "scheduledDeliveryDate": "20260926",
            "actualDeliveryDate": "",
            "actualDeliveryTime": "",
            "deliveryStartTime": "",
            "deliveryEndTime": "",
            "deliveryTimeDescription": "end of day",
            "deliveryPhoto": ""
        })
    }

    #[test]
    fn a_track_alert_event_is_one_update_with_one_event() {
        let body = alert("I", "OR", "On the Way", "005");
        let updates = parse_track_alert(&body).unwrap();
        assert_eq!(updates.len(), 1);
        let update = &updates[0];
        assert_eq!(update.carrier, Carrier::Ups);
        assert_eq!(update.tracking_number, "1ZABCXYZ0112346789");
        assert_eq!(update.events.len(), 1);
        let event = &update.events[0];
        assert_eq!((event.status, event.detail), (S::InTransit, None));
        assert_eq!(event.carrier_code, "I/OR");
        assert_eq!(event.description, "On the Way");
        assert_eq!(event.location.as_deref(), Some("Louisville, KY, US"));
        assert_eq!(event.occurred_at, utc(2026, 9, 24, 18, 30, 0));
        assert_eq!(update.estimated_delivery, Some(utc(2026, 9, 26, 0, 0, 0)));
        assert_eq!(update.raw, body);
    }

    #[test]
    fn track_alert_examples_map_like_polls() {
        let cases = [
            (alert("M", "MP", "Shipment Ready for UPS", "003"), S::PreTransit),
            (alert("MV", "VM", "Shipment Voided", ""), S::Cancelled),
            (alert("I", "DP", "On the Way", "005"), S::InTransit),
            (alert("I", "YP", "Preparing for Delivery", "071"), S::InTransit),
            (alert("I", "OT", "Out for Delivery", "021"), S::OutForDelivery),
            (alert("D", "FS", "Delivered", "011"), S::Delivered),
            (alert("U", "SD", "Updated Delivery Date", ""), S::Unknown),
        ];
        for (body, status) in cases {
            assert_eq!(parse_track_alert(&body).unwrap()[0].events[0].status, status, "{body}");
        }
    }

    #[test]
    fn track_alert_falls_back_to_local_time_and_reads_the_delivery_window() {
        let mut body = alert("I", "OR", "On the Way", "005");
        body["gmtActivityDate"] = json!("");
        body["deliveryEndTime"] = json!("170000");
        let update = &parse_track_alert(&body).unwrap()[0];
        assert_eq!(update.events[0].occurred_at, utc(2026, 9, 24, 14, 30, 0));
        assert_eq!(update.estimated_delivery, Some(utc(2026, 9, 26, 17, 0, 0)));
        body["scheduledDeliveryDate"] = json!("");
        assert_eq!(parse_track_alert(&body).unwrap()[0].estimated_delivery, None);
    }

    #[test]
    fn track_alerts_that_are_not_the_documented_shape_are_errors() {
        let mut no_number = alert("I", "OR", "On the Way", "005");
        no_number["trackingNumber"] = json!("  ");
        assert!(parse_track_alert(&no_number).is_err());
        let mut no_status = alert("I", "OR", "On the Way", "005");
        no_status.as_object_mut().unwrap().remove("activityStatus");
        assert!(parse_track_alert(&no_status).is_err());
        let mut no_date = alert("I", "OR", "On the Way", "005");
        no_date["gmtActivityDate"] = json!("");
        no_date["localActivityDate"] = json!("");
        assert!(parse_track_alert(&no_date).is_err());
        assert!(parse_track_alert(&json!([])).is_err());
    }
}
