//! Response bodies shared by several routes.

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::{Carrier, ChangeSource, Locale, OrderStatus};
use ordertrack_shared::models::{Order, Shipment, StatusChange};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressView {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentView {
    pub id: Uuid,
    pub carrier: Carrier,
    pub tracking_number: String,
    pub tracking_status: String,
    /// The carrier's public tracking page.
    pub tracking_url: String,
    pub created_at: DateTime<Utc>,
}

impl From<&Shipment> for ShipmentView {
    fn from(s: &Shipment) -> Self {
        ShipmentView {
            id: s.id,
            carrier: s.carrier,
            tracking_number: s.tracking_number.clone(),
            tracking_status: s.tracking_status.clone(),
            tracking_url: s.tracking_url(),
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    pub id: Uuid,
    pub order_number: String,
    pub status: OrderStatus,
    /// Send it back (or as `If-Match`) when changing the status.
    pub version: i32,
    pub locale: Locale,
    /// Absent for guest checkouts.
    pub customer_id: Option<Uuid>,
    pub contact: ContactView,
    pub shipping_address: AddressView,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    pub shipments: Vec<ShipmentView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrderView {
    pub fn new(order: &Order, shipments: &[Shipment]) -> Self {
        OrderView {
            id: order.id,
            order_number: order.order_number.clone(),
            status: order.status,
            version: order.version,
            locale: order.locale,
            customer_id: order.customer_id,
            contact: ContactView {
                email: order.contact_email.clone(),
                phone: order.contact_phone.clone(),
                name: order.contact_name.clone(),
            },
            shipping_address: AddressView {
                name: order.ship_name.clone(),
                line1: order.ship_line1.clone(),
                line2: order.ship_line2.clone(),
                city: order.ship_city.clone(),
                region: order.ship_region.clone(),
                postal_code: order.ship_postal_code.clone(),
                country: order.ship_country.clone(),
            },
            estimated_delivery_at: order.estimated_delivery_at,
            shipments: shipments.iter().map(ShipmentView::from).collect(),
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    StatusChange,
    ShipmentAdded,
}

/// One entry of an order's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    /// When it happened (not when we heard of it).
    pub occurred_at: DateTime<Utc>,
    /// A human sentence, e.g. "Order shipped".
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_status: Option<OrderStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ChangeSource>,
    /// Staff-only: who made the change and why. Hidden on public tracking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipment: Option<ShipmentView>,
}

/// Merges status history and shipments into one list, oldest first.
pub fn timeline(history: &[StatusChange], shipments: &[Shipment], show_internal: bool) -> Vec<TimelineEntry> {
    let mut entries: Vec<TimelineEntry> = history
        .iter()
        .map(|h| TimelineEntry {
            kind: TimelineKind::StatusChange,
            occurred_at: h.occurred_at,
            title: h.to_status.describe().to_owned(),
            status: Some(h.to_status),
            from_status: h.from_status,
            source: Some(h.source),
            actor: show_internal.then(|| h.actor.clone()),
            note: if show_internal { h.note.clone() } else { None },
            shipment: None,
        })
        .chain(shipments.iter().map(|s| TimelineEntry {
            kind: TimelineKind::ShipmentAdded,
            occurred_at: s.created_at,
            title: format!("Shipment created with {} ({})", s.carrier.display_name(), s.tracking_number),
            status: None,
            from_status: None,
            source: None,
            actor: None,
            note: None,
            shipment: Some(ShipmentView::from(s)),
        }))
        .collect();
    // Stable: equal timestamps keep history before shipments.
    entries.sort_by_key(|e| e.occurred_at);
    entries
}
