//! Moving a parcel's delivery date: the dates a shopper may choose, and the
//! change once customer service has agreed it with the carrier.

use chrono::{Duration, NaiveDate};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::models::shipment::end_of_day;
use crate::models::{Order, Shipment};

/// The dates a parcel may be rescheduled to, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RescheduleWindow {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

impl RescheduleWindow {
    /// From tomorrow to the carrier's hold past the planned delivery (today
    /// when unknown or past), and never beyond `max_days` from today.
    pub fn for_parcel(parcel: &Shipment, today: NaiveDate, max_days: i64) -> Option<RescheduleWindow> {
        let planned = parcel.estimated_delivery_at.map(|at| at.date_naive()).unwrap_or(today).max(today);
        let earliest = today + Duration::days(1);
        let latest =
            (planned + Duration::days(parcel.carrier.reschedule_hold_days())).min(today + Duration::days(max_days));
        (latest >= earliest).then_some(RescheduleWindow { earliest, latest })
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.earliest..=self.latest).contains(&date)
    }
}

/// Applies an agreed date: the parcel's estimate and the order's move to the
/// end of that day, and delay detection holds them to it from now on.
pub async fn apply_reschedule(
    conn: &mut AsyncPgConnection,
    order: &Order,
    parcel: &Shipment,
    date: NaiveDate,
) -> QueryResult<(Order, Shipment)> {
    let parcel = Shipment::reschedule(conn, parcel.id, date).await?;
    let order = Order::set_estimate(conn, order.id, end_of_day(date)).await?;
    Ok((order, parcel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Carrier;
    use chrono::Utc;

    fn parcel(carrier: Carrier, planned: Option<NaiveDate>) -> Shipment {
        let now = Utc::now();
        Shipment {
            id: uuid::Uuid::now_v7(),
            order_id: uuid::Uuid::now_v7(),
            carrier,
            tracking_number: "123456789012".into(),
            tracking_status: "in_transit".into(),
            created_at: now,
            updated_at: now,
            tracking_detail: None,
            estimated_delivery_at: planned.map(end_of_day),
            last_event_at: None,
            last_webhook_at: None,
            delivered_at: None,
            next_poll_at: now,
            poll_failures: 0,
            rescheduled_to: None,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn the_window_runs_from_tomorrow_to_the_carriers_hold_past_the_planned_day() {
        let window = RescheduleWindow::for_parcel(&parcel(Carrier::Ups, Some(day(4))), day(2), 14).unwrap();
        assert_eq!(window, RescheduleWindow { earliest: day(3), latest: day(9) });
        let dhl = RescheduleWindow::for_parcel(&parcel(Carrier::Dhl, Some(day(4))), day(2), 14).unwrap();
        assert_eq!(dhl.latest, day(11));
        assert!(window.contains(day(3)) && window.contains(day(9)));
        assert!(!window.contains(day(2)) && !window.contains(day(10)));
    }

    #[test]
    fn a_late_or_unknown_estimate_counts_from_today_and_the_config_caps_it() {
        let late = RescheduleWindow::for_parcel(&parcel(Carrier::Fedex, Some(day(1))), day(10), 14).unwrap();
        assert_eq!(late, RescheduleWindow { earliest: day(11), latest: day(15) });
        let unknown = RescheduleWindow::for_parcel(&parcel(Carrier::Fedex, None), day(10), 14).unwrap();
        assert_eq!(unknown, late);
        let capped = RescheduleWindow::for_parcel(&parcel(Carrier::Dhl, Some(day(20))), day(2), 3).unwrap();
        assert_eq!(capped.latest, day(5));
        assert_eq!(RescheduleWindow::for_parcel(&parcel(Carrier::Dhl, None), day(2), 0), None);
    }

    #[test]
    fn an_agreed_date_holds_against_earlier_carrier_estimates() {
        let mut p = parcel(Carrier::Ups, Some(day(4)));
        p.rescheduled_to = Some(day(8));
        assert_eq!(p.effective_estimate(Some(end_of_day(day(5)))), Some(end_of_day(day(8))));
        assert_eq!(p.effective_estimate(Some(end_of_day(day(9)))), Some(end_of_day(day(9))));
        assert_eq!(p.effective_estimate(None), Some(end_of_day(day(8))));
        p.rescheduled_to = None;
        assert_eq!(p.effective_estimate(None), None);
    }
}
