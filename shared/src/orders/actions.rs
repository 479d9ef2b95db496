//! What a shopper may still ask for about an order, and why not: the one
//! rule the request endpoints enforce and the apps show (a date picker
//! limited to the window, an address form only while it can change).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::carriers::TrackingStatus;
use crate::domain::OrderStatus;
use crate::models::{Order, Shipment};
use crate::orders::RescheduleWindow;

/// Why an action is not available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    /// The order is cancelled or returned.
    OrderClosed,
    /// No parcel is on its way (none yet, or all delivered).
    NothingInFlight,
    /// The parcel is out for delivery or done, or past the carrier's window.
    TooLate,
}

impl Unavailable {
    pub fn code(self) -> &'static str {
        match self {
            Unavailable::OrderClosed => "order_closed",
            Unavailable::NothingInFlight => "nothing_in_flight",
            Unavailable::TooLate => "too_late",
        }
    }

    pub fn explain(self, action: &str) -> String {
        match self {
            Unavailable::OrderClosed => "the order is closed (cancelled or returned)".to_owned(),
            Unavailable::NothingInFlight => "no parcel of this order is still on its way".to_owned(),
            Unavailable::TooLate => format!("too late to {action}: the parcel is out for delivery or done"),
        }
    }
}

/// One action: allowed, or the reason it is not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Availability {
    pub allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Unavailable>,
}

impl Availability {
    fn from(result: Result<(), Unavailable>) -> Availability {
        Availability { allowed: result.is_ok(), reason: result.err() }
    }
}

/// A reschedule: allowed within `window`, for the parcel `shipment_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RescheduleAvailability {
    pub allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Unavailable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<RescheduleWindow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<uuid::Uuid>,
}

/// Everything a shopper may ask for right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AvailableActions {
    pub reschedule: RescheduleAvailability,
    pub change_address: Availability,
    pub contact_support: Availability,
}

/// Statuses after which an address can no longer change.
const TOO_LATE_FOR_ADDRESS: &[TrackingStatus] = &[
    TrackingStatus::OutForDelivery,
    TrackingStatus::Delivered,
    TrackingStatus::ReturnToSender,
    TrackingStatus::Cancelled,
];

impl AvailableActions {
    pub fn for_order(order: &Order, parcels: &[Shipment], today: NaiveDate, max_days: i64) -> AvailableActions {
        let closed = matches!(order.status, OrderStatus::Cancelled | OrderStatus::Returned);
        let status = |p: &Shipment| p.tracking_status.parse().unwrap_or(TrackingStatus::Unknown);
        let reschedule = if closed {
            Err(Unavailable::OrderClosed)
        } else {
            match parcels.iter().find(|p| !status(p).is_final()) {
                None => Err(Unavailable::NothingInFlight),
                Some(p) if status(p) == TrackingStatus::OutForDelivery => Err(Unavailable::TooLate),
                Some(p) => {
                    RescheduleWindow::for_parcel(p, today, max_days).map(|w| (w, p.id)).ok_or(Unavailable::TooLate)
                }
            }
        };
        let late = order.status == OrderStatus::OutForDelivery
            || parcels.iter().any(|p| TOO_LATE_FOR_ADDRESS.contains(&status(p)));
        let change_address = match (closed, late) {
            (true, _) => Err(Unavailable::OrderClosed),
            (false, true) => Err(Unavailable::TooLate),
            (false, false) => Ok(()),
        };
        AvailableActions {
            reschedule: RescheduleAvailability {
                allowed: reschedule.is_ok(),
                reason: reschedule.err(),
                window: reschedule.ok().map(|(w, _)| w),
                shipment_id: reschedule.ok().map(|(_, id)| id),
            },
            change_address: Availability::from(change_address),
            contact_support: Availability::from(if closed { Err(Unavailable::OrderClosed) } else { Ok(()) }),
        }
    }
}
