//! Response bodies shared by several routes.

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::{Carrier, ChangeSource, Locale, OrderStatus};
use ordertrack_shared::models::{CustomerRequest, Order, Shipment, ShipmentIssue, StatusChange, TrackingEvent};
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
    /// A carrier scan.
    CarrierEvent,
    /// A delay or exception we detected.
    Issue,
    /// Something the shopper asked for.
    CustomerRequest,
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
    /// Carrier events: the normalized status, its detail and where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Everything that goes into an order's timeline.
pub struct TimelineSources<'a> {
    pub history: &'a [StatusChange],
    pub shipments: &'a [Shipment],
    pub events: &'a [TrackingEvent],
    pub issues: &'a [ShipmentIssue],
    pub requests: &'a [CustomerRequest],
}

impl<'a> TimelineSources<'a> {
    /// Loads every source of one order.
    pub async fn load(
        conn: &mut diesel_async::AsyncPgConnection,
        order_id: Uuid,
    ) -> diesel::QueryResult<(
        Vec<StatusChange>,
        Vec<Shipment>,
        Vec<TrackingEvent>,
        Vec<ShipmentIssue>,
        Vec<CustomerRequest>,
    )> {
        let history = StatusChange::for_order(conn, order_id).await?;
        let shipments = Shipment::for_order(conn, order_id).await?;
        let ids: Vec<Uuid> = shipments.iter().map(|s| s.id).collect();
        let events = TrackingEvent::for_shipments(conn, &ids).await?;
        let issues = ShipmentIssue::for_order(conn, order_id).await?;
        let requests = CustomerRequest::for_order(conn, order_id).await?;
        Ok((history, shipments, events, issues, requests))
    }
}

fn blank(kind: TimelineKind, occurred_at: DateTime<Utc>, title: String) -> TimelineEntry {
    TimelineEntry {
        kind,
        occurred_at,
        title,
        status: None,
        from_status: None,
        source: None,
        actor: None,
        note: None,
        shipment: None,
        tracking_status: None,
        detail: None,
        location: None,
    }
}

/// Merges every source into one list, oldest first.
pub fn timeline(sources: &TimelineSources<'_>, show_internal: bool) -> Vec<TimelineEntry> {
    let mut entries: Vec<TimelineEntry> = Vec::new();
    for h in sources.history {
        entries.push(TimelineEntry {
            status: Some(h.to_status),
            from_status: h.from_status,
            source: Some(h.source),
            actor: show_internal.then(|| h.actor.clone()),
            note: if show_internal { h.note.clone() } else { None },
            ..blank(TimelineKind::StatusChange, h.occurred_at, h.to_status.describe().to_owned())
        });
    }
    for s in sources.shipments {
        let title = format!("Shipment created with {} ({})", s.carrier.display_name(), s.tracking_number);
        entries.push(TimelineEntry {
            shipment: Some(ShipmentView::from(s)),
            ..blank(TimelineKind::ShipmentAdded, s.created_at, title)
        });
    }
    for e in sources.events {
        entries.push(TimelineEntry {
            tracking_status: Some(e.status.clone()),
            detail: e.detail.clone(),
            location: e.location.clone(),
            ..blank(TimelineKind::CarrierEvent, e.occurred_at, e.description.clone())
        });
    }
    for i in sources.issues {
        entries.push(TimelineEntry {
            detail: i.detail.clone(),
            ..blank(TimelineKind::Issue, i.detected_at, i.description.clone())
        });
    }
    for r in sources.requests {
        let title = match r.kind.as_str() {
            "reschedule" => "Delivery reschedule requested",
            "change_address" => "Address change requested",
            _ => "Message to customer support",
        };
        entries.push(TimelineEntry {
            detail: Some(r.status.clone()),
            actor: show_internal.then(|| r.requested_by.clone()),
            ..blank(TimelineKind::CustomerRequest, r.created_at, title.to_owned())
        });
    }
    // Stable: equal timestamps keep the order above.
    entries.sort_by_key(|e| e.occurred_at);
    entries
}
