use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Job;
use crate::domain::Carrier;

/// Normalize and apply one stored webhook receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessCarrierReceipt {
    pub receipt_id: Uuid,
}

impl Job for ProcessCarrierReceipt {
    const NAME: &'static str = "process_carrier_receipt";
}

/// Ask a carrier's API about a batch of its parcels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollCarrier {
    pub carrier: Carrier,
    pub shipment_ids: Vec<Uuid>,
}

impl Job for PollCarrier {
    const NAME: &'static str = "poll_carrier";
}
