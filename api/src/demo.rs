//! Demo data for the run command: tokens for each role, two customers, a
//! guest, and orders at several stages. Safe to run twice.
//!
//! Each order tells one consistent story: its status history, its parcel's
//! carrier scans (in order, at the times of the statuses they caused) and the
//! parcel's tracking state agree, so the simulated carrier
//! (`worker/src/jobs/simulate_carriers.rs`) carries an in-flight parcel on
//! from where it is and leaves a delivered one alone.

use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use ordertrack_shared::carriers::TrackingStatus;
use ordertrack_shared::domain::{Carrier, ChangeSource, Locale, NotificationEvent, OrderStatus, Role};
use ordertrack_shared::jobs::{Enqueuer, SendNotification};
use ordertrack_shared::models::order::new_tracking_code;
use ordertrack_shared::models::{
    ApiToken, NewCustomer, NewOrder, NewShipment, NewStatusChange, NewTrackingEvent, Order, Preferences, Shipment,
    ShipmentTracking, StaffPasswordLink, StaffUser,
};
use ordertrack_shared::notify::notify_order;
use uuid::Uuid;

struct DemoOrder {
    number: &'static str,
    customer: Option<usize>,
    email: &'static str,
    name: &'static str,
    locale: Locale,
    city: &'static str,
    postal_code: &'static str,
    country: &'static str,
    path: &'static [OrderStatus],
    shipment: Option<(Carrier, &'static str)>,
}

const CUSTOMERS: &[(&str, &str, &str, Locale)] = &[
    ("demo-ana", "ana@example.com", "Ana García", Locale::Es),
    ("demo-ion", "ion@example.com", "Ion Popescu", Locale::Ro),
];

fn orders() -> Vec<DemoOrder> {
    use OrderStatus::*;
    vec![
        DemoOrder {
            number: "DEMO-1001",
            customer: Some(0),
            email: "ana@example.com",
            name: "Ana García",
            locale: Locale::Es,
            city: "Madrid",
            postal_code: "28013",
            country: "ES",
            path: &[Confirmed],
            shipment: None,
        },
        DemoOrder {
            number: "DEMO-1002",
            customer: Some(0),
            email: "ana@example.com",
            name: "Ana García",
            locale: Locale::Es,
            city: "Madrid",
            postal_code: "28013",
            country: "ES",
            path: &[Confirmed, Processing, Shipped, InTransit],
            shipment: Some((Carrier::Fedex, "123456789012")),
        },
        DemoOrder {
            number: "DEMO-1003",
            customer: Some(1),
            email: "ion@example.com",
            name: "Ion Popescu",
            locale: Locale::Ro,
            city: "Cluj-Napoca",
            postal_code: "400001",
            country: "RO",
            path: &[Confirmed, Processing, Shipped],
            shipment: Some((Carrier::Dhl, "1234567890")),
        },
        DemoOrder {
            number: "DEMO-1004",
            customer: None,
            email: "olga@example.com",
            name: "Ольга Иванова",
            locale: Locale::Ru,
            city: "Chișinău",
            postal_code: "MD-2001",
            country: "MD",
            path: &[Confirmed, Processing, Shipped, InTransit, OutForDelivery, Delivered],
            shipment: Some((Carrier::Ups, "1Z999AA10123456784")),
        },
    ]
}

/// The carrier scan that moves an order to `status`, if a scan does (the
/// parcel is registered when the order ships; the carrier takes it from there).
fn scan_for(status: OrderStatus) -> Option<(TrackingStatus, &'static str, &'static str)> {
    match status {
        OrderStatus::Shipped => Some((TrackingStatus::PreTransit, "OC", "Shipment information sent to the carrier")),
        OrderStatus::InTransit => Some((TrackingStatus::InTransit, "PU", "Picked up")),
        OrderStatus::OutForDelivery => Some((TrackingStatus::OutForDelivery, "OD", "On vehicle for delivery")),
        OrderStatus::Delivered => Some((TrackingStatus::Delivered, "DL", "Delivered")),
        _ => None,
    }
}

/// Whether the carrier (rather than the shop) moved the order to `status`.
fn carrier_driven(status: OrderStatus) -> bool {
    status != OrderStatus::Shipped && scan_for(status).is_some()
}

pub struct DemoTokens {
    pub admin: String,
    pub csr: String,
    pub service: String,
    pub customer: String,
    /// Console accounts (email, set-password link code) made by this run.
    pub staff: Vec<(String, String)>,
}

/// The console's demo people: an admin, a customer-service agent and an analyst.
const STAFF: &[(&str, &str, Role)] = &[
    ("admin@demo.test", "Demo Admin", Role::Admin),
    ("csr@demo.test", "Demo Agent", Role::Csr),
    ("analyst@demo.test", "Demo Analyst", Role::Analyst),
];

pub async fn seed(conn: &mut AsyncPgConnection, enqueuer: &Enqueuer) -> Result<DemoTokens, diesel::result::Error> {
    let mut customer_ids = Vec::new();
    for (external_id, email, name, locale) in CUSTOMERS {
        let customer = NewCustomer {
            id: Uuid::now_v7(),
            external_id: (*external_id).into(),
            email: Some((*email).into()),
            phone: None,
            name: Some((*name).into()),
            locale: *locale,
        }
        .upsert(conn)
        .await?;
        customer_ids.push(customer.id);
    }
    let mut queued = Vec::new();
    for demo in orders() {
        if Order::find_by_number(conn, demo.number).await.is_ok() {
            continue;
        }
        let customer_id = demo.customer.and_then(|i| customer_ids.get(i).copied());
        let notification = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| insert_order(conn, &demo, customer_id).await)
            .await?;
        queued.extend(notification);
    }
    for id in queued {
        let _ = enqueuer
            .push(ordertrack_shared::jobs::Queue::Notifications, SendNotification { notification_id: id }, None)
            .await;
    }
    let admin = ApiToken::mint(conn, Role::Admin, None, "demo admin", None).await?.1;
    let csr = ApiToken::mint(conn, Role::Csr, None, "demo csr", None).await?.1;
    let service = ApiToken::mint(conn, Role::Service, None, "demo storefront", None).await?.1;
    let customer =
        ApiToken::mint(conn, Role::Customer, customer_ids.first().copied(), "demo customer Ana", None).await?.1;
    let mut staff = Vec::new();
    for (email, name, role) in STAFF {
        let user = match StaffUser::find_by_email(conn, email).await? {
            Some(user) => user,
            None => StaffUser::create(conn, email, name, *role, "seed-demo").await?,
        };
        // A password nobody set yet gets a fresh link each run.
        if user.password_hash.is_none() {
            let code = StaffPasswordLink::issue(conn, user.id, Utc::now() + Duration::days(3)).await?;
            staff.push(((*email).to_owned(), code));
        }
    }
    Ok(DemoTokens { admin, csr, service, customer, staff })
}

async fn insert_order(
    conn: &mut AsyncPgConnection,
    demo: &DemoOrder,
    customer_id: Option<Uuid>,
) -> Result<Vec<Uuid>, diesel::result::Error> {
    let steps = demo.path.len() as i64;
    let placed_at = Utc::now() - Duration::hours(6 * steps);
    let status = *demo.path.last().unwrap_or(&OrderStatus::Confirmed);
    let order = NewOrder {
        id: Uuid::now_v7(),
        order_number: demo.number.into(),
        customer_id,
        contact_email: Some(demo.email.into()),
        contact_phone: None,
        contact_name: Some(demo.name.into()),
        locale: demo.locale,
        status,
        ship_name: demo.name.into(),
        ship_line1: "Calle Mayor 1".into(),
        ship_line2: None,
        ship_city: demo.city.into(),
        ship_region: None,
        ship_postal_code: demo.postal_code.into(),
        ship_country: demo.country.into(),
        estimated_delivery_at: Some(placed_at + Duration::days(4)),
        created_at: placed_at,
        tracking_code: new_tracking_code(),
    }
    .insert(conn)
    .await?;
    let at = |step: usize| placed_at + Duration::hours(6 * step as i64);
    let mut from = None;
    for (i, to) in demo.path.iter().enumerate() {
        let (source, actor) = match (i, demo.shipment) {
            (0, _) => (ChangeSource::Storefront, "demo".to_owned()),
            (_, Some((carrier, _))) if carrier_driven(*to) => (ChangeSource::Carrier, format!("carrier:{carrier}")),
            _ => (ChangeSource::System, "demo".to_owned()),
        };
        NewStatusChange {
            order_id: order.id,
            from_status: from,
            to_status: *to,
            source,
            actor,
            note: None,
            occurred_at: at(i),
        }
        .insert(conn)
        .await?;
        from = Some(*to);
    }
    if let Some((carrier, number)) = demo.shipment {
        // Registered when the order shipped; one scan per status the carrier caused since.
        let shipped = demo.path.iter().position(|s| *s == OrderStatus::Shipped).unwrap_or(0);
        let parcel = NewShipment { id: Uuid::now_v7(), order_id: order.id, carrier, tracking_number: number.into() }
            .insert_at(conn, at(shipped))
            .await?;
        let mut last = None;
        for (i, to) in demo.path.iter().enumerate().skip(shipped) {
            let Some((status, code, description)) = scan_for(*to) else { continue };
            NewTrackingEvent {
                shipment_id: parcel.id,
                status: status.to_string(),
                detail: None,
                carrier_code: code.into(),
                description: description.into(),
                location: Some("Simulated hub".into()),
                occurred_at: at(i),
                source: "simulator".into(),
                receipt_id: None,
                applied: true,
                raw: serde_json::json!({"simulated": true}),
            }
            .insert_once(conn)
            .await?;
            last = Some((status, at(i)));
        }
        let (status, last_event_at) = match last {
            Some((status, when)) => (status, Some(when)),
            None => (TrackingStatus::PreTransit, None),
        };
        let tracking = ShipmentTracking {
            tracking_status: status.to_string(),
            tracking_detail: None,
            last_event_at,
            estimated_delivery_at: order.estimated_delivery_at,
            delivered_at: last_event_at.filter(|_| status == TrackingStatus::Delivered),
            last_webhook_at: None,
        };
        Shipment::update_tracking(conn, parcel.id, &tracking).await?;
    }
    if let Some(customer_id) = customer_id {
        Preferences::insert_defaults(conn, customer_id, demo.locale).await?;
    }
    let event = NotificationEvent::OrderConfirmed;
    Ok(notify_order(conn, &order, event, "confirmed", serde_json::json!({})).await?.into_iter().map(|n| n.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordertrack_shared::carriers::tracking::derive_order_status;

    /// Each demo order's parcel, as its scans leave it, implies the order's
    /// status, and the scans only move forward.
    #[test]
    fn every_demo_order_tells_a_consistent_story() {
        for demo in orders() {
            let status = *demo.path.last().unwrap();
            let scans: Vec<TrackingStatus> = demo.path.iter().filter_map(|s| scan_for(*s)).map(|(t, _, _)| t).collect();
            if demo.shipment.is_none() {
                assert!(scans.is_empty(), "{}: scans without a parcel", demo.number);
                continue;
            }
            assert_eq!(scans.first(), Some(&TrackingStatus::PreTransit), "{}: registered when shipped", demo.number);
            assert!(scans.windows(2).all(|w| w[0].progress() < w[1].progress()), "{}: {scans:?}", demo.number);
            let parcel = *scans.last().unwrap();
            let implied = derive_order_status(&[parcel]);
            assert!(implied.is_none() || implied == Some(status), "{}: parcel {parcel}, order {status}", demo.number);
            assert_eq!(parcel.is_final(), status == OrderStatus::Delivered, "{}", demo.number);
        }
    }
}
