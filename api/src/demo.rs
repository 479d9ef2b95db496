//! Demo data for the run command: tokens for each role, two customers, a
//! guest, and orders at several stages. Safe to run twice.

use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use ordertrack_shared::domain::{Carrier, ChangeSource, Locale, NotificationEvent, OrderStatus, Role};
use ordertrack_shared::jobs::{Enqueuer, SendNotification};
use ordertrack_shared::models::order::new_tracking_code;
use ordertrack_shared::models::{ApiToken, NewCustomer, NewOrder, NewShipment, NewStatusChange, Order, Preferences};
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

pub struct DemoTokens {
    pub admin: String,
    pub csr: String,
    pub service: String,
    pub customer: String,
}

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
    Ok(DemoTokens { admin, csr, service, customer })
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
    let mut from = None;
    for (i, to) in demo.path.iter().enumerate() {
        NewStatusChange {
            order_id: order.id,
            from_status: from,
            to_status: *to,
            source: if i == 0 { ChangeSource::Storefront } else { ChangeSource::System },
            actor: "demo".into(),
            note: None,
            occurred_at: placed_at + Duration::hours(6 * i as i64),
        }
        .insert(conn)
        .await?;
        from = Some(*to);
    }
    if let Some((carrier, number)) = demo.shipment {
        NewShipment { id: Uuid::now_v7(), order_id: order.id, carrier, tracking_number: number.into() }
            .insert(conn)
            .await?;
    }
    if let Some(customer_id) = customer_id {
        Preferences::insert_defaults(conn, customer_id, demo.locale).await?;
    }
    let event = NotificationEvent::OrderConfirmed;
    Ok(notify_order(conn, &order, event, "confirmed", serde_json::json!({})).await?.into_iter().map(|n| n.id).collect())
}
