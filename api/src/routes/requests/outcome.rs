//! What closing a shopper's request does to the order, and what the shopper
//! is told about it (the `request_resolved` message's payload).

use chrono::{NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use ordertrack_shared::carriers::TrackingStatus;
use ordertrack_shared::models::shipment::end_of_day;
use ordertrack_shared::models::{CustomerRequest, Order, Shipment, ShippingAddress};
use ordertrack_shared::orders::apply_reschedule;
use serde_json::{json, Value};

use crate::errors::ApiError;

/// Applies a resolved request's effect (an agreed date, a pending address)
/// and returns the order as it is now, with the message payload.
pub async fn apply(
    conn: &mut AsyncPgConnection,
    order: &Order,
    request: &CustomerRequest,
) -> Result<(Order, Value), ApiError> {
    let reply = request.resolution.clone().unwrap_or_default();
    let resolved = request.status == "resolved";
    match (request.kind.as_str(), resolved) {
        ("reschedule", true) => {
            let date: NaiveDate = serde_json::from_value(request.details["date"].clone())
                .map_err(|e| ApiError::Internal(format!("request {} has no date: {e}", request.id)))?;
            let parcel = reschedulable_parcel(conn, request, date).await?;
            let (order, _) = apply_reschedule(conn, order, &parcel, date).await?;
            let payload = json!({
                "reason_code": "reschedule_confirmed",
                "message": reply,
                "new_estimated_delivery": end_of_day(date).to_rfc3339(),
            });
            Ok((order, payload))
        }
        ("reschedule", false) => Ok((order.clone(), json!({"reason_code": "reschedule_declined", "message": reply}))),
        // Address changes apply when asked; this is one recorded before they did.
        ("change_address", true) => {
            let address: ShippingAddress = serde_json::from_value(request.details["address"].clone())
                .map_err(|e| ApiError::Internal(format!("request {} has no address: {e}", request.id)))?;
            let order = Order::change_address(conn, order.id, &address).await?;
            Ok((order, json!({"reason_code": "address_changed", "message": address.one_line()})))
        }
        ("contact_support", true) => Ok((order.clone(), json!({"reason_code": "support_answered", "message": reply}))),
        _ => Ok((order.clone(), json!({"reason_code": "request_declined", "message": reply}))),
    }
}

/// The request's parcel, if it can still take the date.
async fn reschedulable_parcel(
    conn: &mut AsyncPgConnection,
    request: &CustomerRequest,
    date: NaiveDate,
) -> Result<Shipment, ApiError> {
    let Some(parcel_id) = request.shipment_id else {
        return Err(ApiError::conflict("nothing_in_flight", "the request names no parcel"));
    };
    let parcel = Shipment::find(conn, parcel_id).await?;
    let status: TrackingStatus = parcel.tracking_status.parse().unwrap_or(TrackingStatus::Unknown);
    if status.is_final() || status == TrackingStatus::OutForDelivery {
        return Err(ApiError::conflict("too_late", format!("the parcel is already {status}: reject the request")));
    }
    if date <= Utc::now().date_naive() {
        return Err(ApiError::conflict("date_passed", format!("{date} has passed: reject the request")));
    }
    Ok(parcel)
}
