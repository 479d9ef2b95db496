//! The simulated carrier of the local run: moves every non-final parcel one
//! realistic step per tick, so the demo shows scans, a delay and an exception
//! without any carrier account. Parcels whose tracking number ends in 7 hit a
//! failed delivery attempt; those ending in 3 get a weather delay.

use apalis::prelude::BoxDynError;
use chrono::Utc;
use ordertrack_shared::carriers::tracking::{apply_update, UpdateSource};
use ordertrack_shared::carriers::{NormalizedEvent, TrackingDetail, TrackingStatus, TrackingUpdate};
use ordertrack_shared::db;
use ordertrack_shared::models::Shipment;

use crate::context::JobContext;

/// The next scan for a parcel, or none when it is done.
pub fn next_event(parcel: &Shipment) -> Option<(TrackingStatus, Option<TrackingDetail>, &'static str, &'static str)> {
    use TrackingStatus as T;
    let troubled = parcel.tracking_number.ends_with('7');
    let weather = parcel.tracking_number.ends_with('3');
    let status: T = parcel.tracking_status.parse().unwrap_or(T::Unknown);
    Some(match status {
        T::PreTransit | T::Unknown => (T::InTransit, None, "PU", "Picked up"),
        T::InTransit if weather && parcel.tracking_detail.is_none() => {
            (T::InTransit, Some(TrackingDetail::WeatherDelay), "DD", "Delayed by severe weather")
        }
        T::InTransit => (T::OutForDelivery, None, "OD", "On vehicle for delivery"),
        T::OutForDelivery if troubled => {
            (T::FailedAttempt, Some(TrackingDetail::FailedAttempt), "DE", "Customer not available")
        }
        T::OutForDelivery | T::FailedAttempt | T::Exception | T::AvailableForPickup => {
            (T::Delivered, None, "DL", "Delivered")
        }
        T::Delivered | T::ReturnToSender | T::Cancelled => return None,
    })
}

pub async fn simulate_carriers(ctx: &JobContext) -> Result<usize, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let parcels = Shipment::unfinished(&mut conn, 200).await?;
    let mut moved = 0;
    let mut notifications = Vec::new();
    for parcel in parcels {
        let Some((status, detail, code, description)) = next_event(&parcel) else { continue };
        let now = Utc::now();
        let update = TrackingUpdate {
            carrier: parcel.carrier,
            tracking_number: parcel.tracking_number.clone(),
            events: vec![NormalizedEvent {
                status,
                detail,
                carrier_code: code.into(),
                description: description.into(),
                location: Some("Simulated hub".into()),
                occurred_at: now,
            }],
            estimated_delivery: None,
            raw: serde_json::json!({"simulated": true}),
        };
        db::begin(&mut conn).await?;
        let result = apply_update(&mut conn, &update, UpdateSource::Simulator, None).await;
        let applied = db::finish(&mut conn, result).await?;
        notifications.extend(applied.notifications);
        moved += 1;
    }
    drop(conn);
    ctx.enqueuer.after_commit(&notifications).await;
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordertrack_shared::domain::Carrier;

    fn parcel(number: &str, status: &str, detail: Option<&str>) -> Shipment {
        let now = Utc::now();
        Shipment {
            id: uuid::Uuid::now_v7(),
            order_id: uuid::Uuid::now_v7(),
            carrier: Carrier::Dhl,
            tracking_number: number.into(),
            tracking_status: status.into(),
            created_at: now,
            updated_at: now,
            tracking_detail: detail.map(str::to_owned),
            estimated_delivery_at: None,
            last_event_at: None,
            last_webhook_at: None,
            delivered_at: None,
            next_poll_at: now,
            poll_failures: 0,
        }
    }

    fn walk(number: &str) -> Vec<TrackingStatus> {
        let mut p = parcel(number, "pre_transit", None);
        let mut seen = Vec::new();
        while let Some((status, detail, _, _)) = next_event(&p) {
            seen.push(status);
            p.tracking_status = status.to_string();
            p.tracking_detail = detail.map(|d| d.to_string()).or(p.tracking_detail);
            assert!(seen.len() < 10, "the simulation must end");
        }
        seen
    }

    #[test]
    fn parcels_move_to_delivery_with_the_scripted_troubles() {
        use TrackingStatus::*;
        assert_eq!(walk("1234567890"), [InTransit, OutForDelivery, Delivered]);
        assert_eq!(walk("1234567893"), [InTransit, InTransit, OutForDelivery, Delivered], "a weather delay");
        assert_eq!(walk("1234567897"), [InTransit, OutForDelivery, FailedAttempt, Delivered], "a failed attempt");
    }
}
