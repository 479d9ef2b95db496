//! Carrier integrations: turning FedEx, UPS and DHL tracking data, polled or
//! pushed, into one vocabulary.
//!
//! Each carrier has its own codes, time formats and envelopes: FedEx says
//! `DE` + exception `08` with an offset timestamp, UPS says type `X` with a
//! zoneless `YYYYMMDD`/`HHMMSS`, DHL says `failure` with free text. Order
//! pages, notifications and the "stop polling" decision should not care, so
//! every parser produces [`TrackingUpdate`]s of [`NormalizedEvent`]s:
//!
//! - a [`TrackingStatus`] (where the parcel is) and an optional
//!   [`TrackingDetail`] (why it is stuck), mapped by data tables in each
//!   carrier module, with unknown codes falling back to the code's class and
//!   never panicking;
//! - UTC timestamps and events sorted oldest first;
//! - the carrier's own code and text kept alongside, and the raw payload for
//!   the parcel, so support can see what the carrier really said and a better
//!   mapping can re-read old data.
//!
//! [`TrackingStatus::progress`] lets callers ignore stale or out-of-order
//! events (webhooks are not ordered) instead of moving a parcel backwards.
//!
//! Modules: [`status`] (the vocabulary), [`fedex`], [`ups`], [`dhl`] (payload
//! parsers), [`format`] (one trait over them), [`client`] (polling over HTTP
//! with OAuth/API keys), [`tracking`] (applying updates to parcels and orders)
//! and [`polling`] (when to poll next). Webhook authenticity lives in
//! `crate::webhooks`.

pub mod client;
pub mod dhl;
pub mod fedex;
pub mod format;
pub mod polling;
pub mod status;
pub mod tracking;
pub mod ups;

pub use client::{CarrierClient, CarrierCredentials, CarrierError};
pub use format::{CarrierFormat, DhlFormat, FedexFormat, UpsFormat};
pub use status::{NormalizedEvent, ParseError, TrackingDetail, TrackingStatus, TrackingUpdate};

use serde_json::Value;

use crate::domain::Carrier;

/// Parses a carrier's webhook body: FedEx tracking webhook (see
/// [`fedex::parse_webhook`] for the accepted envelopes), one UPS Track Alert
/// event, or a DHL push (the tracking response body). Verify the request
/// ([`signatures`]) before trusting what this returns.
pub fn parse_webhook(carrier: Carrier, body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
    match carrier {
        Carrier::Fedex => FedexFormat::parse_webhook(body),
        Carrier::Ups => UpsFormat::parse_webhook(body),
        Carrier::Dhl => DhlFormat::parse_webhook(body),
    }
}

/// Parses a carrier's tracking API answer.
pub fn parse_track_response(carrier: Carrier, body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
    match carrier {
        Carrier::Fedex => FedexFormat::parse_track_response(body),
        Carrier::Ups => UpsFormat::parse_track_response(body),
        Carrier::Dhl => DhlFormat::parse_track_response(body),
    }
}

/// Tracking numbers one API request to `carrier` may carry.
pub fn batch_size(carrier: Carrier) -> usize {
    match carrier {
        Carrier::Fedex => FedexFormat::BATCH_SIZE,
        Carrier::Ups => UpsFormat::BATCH_SIZE,
        Carrier::Dhl => DhlFormat::BATCH_SIZE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn webhooks_dispatch_to_each_carriers_parser() {
        let fedex = json!({"trackingNumberInfo": {"trackingNumber": "794843185271"}, "scanEvents": [
            {"date": "2026-09-26T09:26:00-07:00", "eventType": "DL", "eventDescription": "Delivered",
             "derivedStatusCode": "DL",
             "scanLocation": {"city": "FRESNO", "stateOrProvinceCode": "CA", "countryCode": "US"}}
        ]});
        let ups = json!({
            "trackingNumber": "1Z204W4R0308071865", "localActivityDate": "20260923", "localActivityTime": "091519",
            "gmtActivityDate": "20260923", "gmtActivityTime": "131519",
            "activityLocation": {"city": "Charlotte", "stateProvince": "NC", "postalCode": "", "country": "US"},
            "activityStatus": {"type": "I", "code": "OT", "description": "Out for Delivery", "descriptionCode": "021"},
            "scheduledDeliveryDate": "20260923", "actualDeliveryDate": "", "actualDeliveryTime": ""
        });
        let dhl = json!({"shipments": [{"id": "1234567890", "service": "express", "events": [
            {"timestamp": "2026-09-24T14:30:00Z", "statusCode": "failure", "status": "DELIVERY ATTEMPT",
             "description": "Recipient not at home", "location": {"address": {"addressLocality": "Leipzig - Germany"}}}
        ]}]});
        let cases = [
            (Carrier::Fedex, fedex, "794843185271", TrackingStatus::Delivered),
            (Carrier::Ups, ups, "1Z204W4R0308071865", TrackingStatus::OutForDelivery),
            (Carrier::Dhl, dhl, "1234567890", TrackingStatus::FailedAttempt),
        ];
        for (carrier, body, number, status) in cases {
            let updates = parse_webhook(carrier, &body).unwrap();
            assert_eq!(updates.len(), 1, "{carrier}");
            assert_eq!(updates[0].carrier, carrier);
            assert_eq!(updates[0].tracking_number, number);
            assert_eq!(updates[0].events[0].status, status, "{carrier}");
        }
    }

    #[test]
    fn a_body_for_another_carrier_is_a_shape_error() {
        let dhl = json!({"shipments": []});
        assert!(matches!(parse_webhook(Carrier::Ups, &dhl), Err(ParseError::Shape(_))));
        assert!(matches!(parse_webhook(Carrier::Fedex, &dhl), Err(ParseError::Shape(_))));
        assert!(matches!(parse_webhook(Carrier::Dhl, &json!({"trackResults": []})), Err(ParseError::Shape(_))));
    }
}
