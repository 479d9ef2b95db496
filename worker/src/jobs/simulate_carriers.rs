//! The simulated carrier of the local run: moves every non-final parcel one
//! realistic step per tick, so the demo shows scans, a delay and an exception
//! without any carrier account. Parcels whose tracking number ends in 7 hit a
//! failed delivery attempt; those ending in 3 get a weather delay.
//!
//! It never moves a parcel past a final status (delivered, returned to
//! sender, cancelled): each step is decided on the parcel as it is under the
//! row lock, not as the batch read it, and the parcels of an order that is
//! already delivered, cancelled or returned are left alone, so the simulation
//! never contradicts what the order says.

use apalis::prelude::BoxDynError;
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use ordertrack_shared::carriers::tracking::{apply_update, Applied, ApplyError, UpdateSource};
use ordertrack_shared::carriers::{NormalizedEvent, TrackingDetail, TrackingStatus, TrackingUpdate};
use ordertrack_shared::db;
use ordertrack_shared::domain::OrderStatus;
use ordertrack_shared::models::{Order, Shipment};

use crate::context::JobContext;

/// Parcels read per keyset batch (every open parcel moves each tick).
const BATCH: i64 = 200;

/// Orders whose parcels the simulation leaves where they are.
const SETTLED_ORDERS: [OrderStatus; 3] = [OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Returned];

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
    let mut moved = 0;
    let mut after = None;
    loop {
        let parcels = Shipment::unfinished_after(&mut conn, after, BATCH).await?;
        let last_batch = (parcels.len() as i64) < BATCH;
        after = parcels.last().map(|p| (p.created_at, p.id));
        let mut notifications = Vec::new();
        for parcel in parcels {
            db::begin(&mut conn).await?;
            let result = step(&mut conn, &parcel).await;
            if let Some(applied) = db::finish(&mut conn, result).await? {
                notifications.extend(applied.notifications);
                moved += 1;
            }
        }
        ctx.enqueuer.after_commit(&notifications).await;
        if last_batch || after.is_none() {
            break;
        }
    }
    Ok(moved)
}

/// One simulated scan of `parcel`, in the caller's transaction; `None` when
/// the parcel (re-read under its lock) is final or its order is settled.
async fn step(conn: &mut AsyncPgConnection, parcel: &Shipment) -> Result<Option<Applied>, ApplyError> {
    let Some(current) = Shipment::find_by_tracking_for_update(conn, parcel.carrier, &parcel.tracking_number).await?
    else {
        return Ok(None);
    };
    let Some((status, detail, code, description)) = next_event(&current) else { return Ok(None) };
    let order = Order::find(conn, current.order_id).await?;
    if SETTLED_ORDERS.contains(&order.status) {
        return Ok(None);
    }
    // After the newest known scan, so the step is applied rather than filed as late.
    let now = Utc::now();
    let occurred_at = match current.last_event_at {
        Some(last) if last >= now => last + chrono::Duration::seconds(1),
        _ => now,
    };
    let update = TrackingUpdate {
        carrier: current.carrier,
        tracking_number: current.tracking_number.clone(),
        events: vec![NormalizedEvent {
            status,
            detail,
            carrier_code: code.into(),
            description: description.into(),
            location: Some("Simulated hub".into()),
            occurred_at,
        }],
        estimated_delivery: None,
        raw: serde_json::json!({"simulated": true}),
    };
    apply_update(conn, &update, UpdateSource::Simulator, None).await.map(Some)
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
            rescheduled_to: None,
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

    #[test]
    fn a_parcel_in_a_final_status_never_moves() {
        for status in TrackingStatus::ALL.iter().filter(|s| s.is_final()) {
            // Whatever trouble its number would script, and whatever detail it carries.
            for number in ["1234567890", "1234567893", "1234567897"] {
                for detail in [None, Some("weather_delay"), Some("failed_attempt")] {
                    let p = parcel(number, &status.to_string(), detail);
                    assert_eq!(next_event(&p), None, "{status} {number} {detail:?}");
                }
            }
        }
        // Every other status has a next step, and none of them goes backwards.
        for status in TrackingStatus::ALL.iter().filter(|s| !s.is_final()) {
            let p = parcel("1234567890", &status.to_string(), None);
            let (next, _, _, _) = next_event(&p).unwrap_or_else(|| panic!("{status} should move"));
            assert!(next.progress() >= status.progress(), "{status} -> {next}");
        }
    }
}
