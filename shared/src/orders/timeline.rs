//! An order's timeline: one entry per thing that happened to it, built from
//! its history, parcels, carrier scans, detected issues and the shopper's
//! requests. The same entries feed the timeline endpoint and the live event
//! log (`order_events`), so a live update looks exactly like a timeline row.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{Carrier, ChangeSource, NotificationStatus, OrderStatus};
use crate::models::{
    CustomerRequest, NewOrderEvent, Notification, Order, Shipment, ShipmentIssue, StatusChange, TrackingEvent,
};

#[derive(Debug, Clone, Serialize, ToSchema)]
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
    /// Customer service's answer to a request.
    RequestResolved,
    /// A message sent to the shopper, or given up on (staff only).
    Notification,
}

impl TimelineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::StatusChange => "status_change",
            TimelineKind::ShipmentAdded => "shipment_added",
            TimelineKind::CarrierEvent => "carrier_event",
            TimelineKind::Issue => "issue",
            TimelineKind::CustomerRequest => "customer_request",
            TimelineKind::RequestResolved => "request_resolved",
            TimelineKind::Notification => "notification",
        }
    }
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
    /// Staff-only: who made the change and why. Hidden from shoppers.
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

/// The fields a shopper never sees.
pub const INTERNAL_FIELDS: [&str; 2] = ["actor", "note"];

impl TimelineEntry {
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

    pub fn status_change(h: &StatusChange) -> Self {
        TimelineEntry {
            status: Some(h.to_status),
            from_status: h.from_status,
            source: Some(h.source),
            actor: Some(h.actor.clone()),
            note: h.note.clone(),
            ..Self::blank(TimelineKind::StatusChange, h.occurred_at, h.to_status.describe().to_owned())
        }
    }

    pub fn shipment_added(s: &Shipment) -> Self {
        let title = format!("Shipment created with {} ({})", s.carrier.display_name(), s.tracking_number);
        TimelineEntry {
            shipment: Some(ShipmentView::from(s)),
            ..Self::blank(TimelineKind::ShipmentAdded, s.created_at, title)
        }
    }

    pub fn carrier_event(e: &TrackingEvent) -> Self {
        TimelineEntry {
            tracking_status: Some(e.status.clone()),
            detail: e.detail.clone(),
            location: e.location.clone(),
            ..Self::blank(TimelineKind::CarrierEvent, e.occurred_at, e.description.clone())
        }
    }

    pub fn issue(i: &ShipmentIssue) -> Self {
        TimelineEntry {
            detail: i.detail.clone(),
            ..Self::blank(TimelineKind::Issue, i.detected_at, i.description.clone())
        }
    }

    pub fn customer_request(r: &CustomerRequest) -> Self {
        let title = match r.kind.as_str() {
            "reschedule" => "Delivery reschedule requested",
            "change_address" => "Delivery address changed",
            _ => "Message to customer support",
        };
        TimelineEntry {
            detail: Some(r.status.clone()),
            actor: Some(r.requested_by.clone()),
            ..Self::blank(TimelineKind::CustomerRequest, r.created_at, title.to_owned())
        }
    }

    /// Customer service closed a request; their reply is the shopper's to
    /// read, `resolver` is staff-only.
    pub fn request_resolved(r: &CustomerRequest, resolver: &str) -> Self {
        let title = if r.status == "rejected" { "Request declined" } else { "Request resolved" };
        TimelineEntry {
            detail: r.resolution.clone(),
            actor: Some(resolver.to_owned()),
            ..Self::blank(TimelineKind::RequestResolved, r.updated_at, title.to_owned())
        }
    }

    /// A message's final outcome, `sent` or `failed` (staff only).
    pub fn notification(n: &Notification, outcome: NotificationStatus, error: Option<&str>) -> Self {
        let title = format!("{} {} {outcome} to {}", n.event, n.channel, n.recipient);
        TimelineEntry {
            detail: Some(outcome.to_string()),
            note: error.map(str::to_owned),
            ..Self::blank(TimelineKind::Notification, Utc::now(), title)
        }
    }

    /// Without what only staff may see.
    pub fn redacted(self) -> Self {
        TimelineEntry { actor: None, note: None, ..self }
    }

    /// This entry as a live event of `order`.
    pub fn event_for(&self, order: &Order) -> NewOrderEvent {
        NewOrderEvent {
            order_id: order.id,
            customer_id: order.customer_id,
            kind: self.kind.as_str().to_owned(),
            staff_only: self.kind == TimelineKind::Notification,
            entry: serde_json::to_value(self).unwrap_or_default(),
        }
    }
}

/// Everything that goes into an order's timeline.
pub struct TimelineSources {
    pub history: Vec<StatusChange>,
    pub shipments: Vec<Shipment>,
    pub events: Vec<TrackingEvent>,
    pub issues: Vec<ShipmentIssue>,
    pub requests: Vec<CustomerRequest>,
}

impl TimelineSources {
    /// Loads every source of one order.
    pub async fn load(conn: &mut AsyncPgConnection, order_id: Uuid) -> QueryResult<TimelineSources> {
        let history = StatusChange::for_order(conn, order_id).await?;
        let shipments = Shipment::for_order(conn, order_id).await?;
        let ids: Vec<Uuid> = shipments.iter().map(|s| s.id).collect();
        let events = TrackingEvent::for_shipments(conn, &ids).await?;
        let issues = ShipmentIssue::for_order(conn, order_id).await?;
        let requests = CustomerRequest::for_order(conn, order_id).await?;
        Ok(TimelineSources { history, shipments, events, issues, requests })
    }

    /// Merges every source into one list, oldest first; `show_internal`
    /// keeps who did what and their notes (staff).
    pub fn timeline(&self, show_internal: bool) -> Vec<TimelineEntry> {
        let mut entries: Vec<TimelineEntry> = Vec::new();
        entries.extend(self.history.iter().map(TimelineEntry::status_change));
        entries.extend(self.shipments.iter().map(TimelineEntry::shipment_added));
        entries.extend(self.events.iter().map(TimelineEntry::carrier_event));
        entries.extend(self.issues.iter().map(TimelineEntry::issue));
        entries.extend(self.requests.iter().map(TimelineEntry::customer_request));
        entries.extend(self.requests.iter().filter_map(|r| {
            let resolver = r.resolved_by.as_deref()?;
            Some(TimelineEntry::request_resolved(r, resolver))
        }));
        if !show_internal {
            entries = entries.into_iter().map(TimelineEntry::redacted).collect();
        }
        // Stable: equal timestamps keep the order above.
        entries.sort_by_key(|e| e.occurred_at);
        entries
    }
}
