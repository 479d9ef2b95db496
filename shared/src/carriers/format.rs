//! The one trait every carrier module stands behind: its wire formats,
//! turned into [`TrackingUpdate`]s, and how many numbers one request takes.
//! Callers pick the implementation by [`Carrier`] with the functions in
//! [`super`], so adding a carrier is one more implementation and one more
//! match arm.

use serde_json::Value;

use super::{dhl, fedex, ups, ParseError, TrackingUpdate};
use crate::domain::Carrier;

pub trait CarrierFormat {
    const CARRIER: Carrier;
    /// Tracking numbers one API request may carry.
    const BATCH_SIZE: usize;
    /// A pushed (webhook) body.
    fn parse_webhook(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError>;
    /// The answer of the carrier's tracking API.
    fn parse_track_response(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError>;
}

/// FedEx Track API v1 and its tracking webhook.
pub struct FedexFormat;
/// UPS Track API and Track Alert.
pub struct UpsFormat;
/// DHL Shipment Tracking – Unified (pushes use the same body).
pub struct DhlFormat;

impl CarrierFormat for FedexFormat {
    const CARRIER: Carrier = Carrier::Fedex;
    const BATCH_SIZE: usize = fedex::MAX_NUMBERS_PER_REQUEST;
    fn parse_webhook(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
        fedex::parse_webhook(body)
    }
    fn parse_track_response(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
        fedex::parse_track_response(body)
    }
}

impl CarrierFormat for UpsFormat {
    const CARRIER: Carrier = Carrier::Ups;
    const BATCH_SIZE: usize = 1;
    fn parse_webhook(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
        ups::parse_track_alert(body)
    }
    fn parse_track_response(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
        ups::parse_track_response(body)
    }
}

impl CarrierFormat for DhlFormat {
    const CARRIER: Carrier = Carrier::Dhl;
    const BATCH_SIZE: usize = 1;
    fn parse_webhook(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
        dhl::parse_webhook(body)
    }
    fn parse_track_response(body: &Value) -> Result<Vec<TrackingUpdate>, ParseError> {
        dhl::parse_track_response(body)
    }
}
