//! An order's timeline: one entry per thing that happened to it, built from
//! its history, parcels, carrier scans, detected issues and the shopper's
//! requests. The same entries feed the timeline endpoint and the live event
//! log (`order_events`), so a live update looks exactly like a timeline row.
//!
//! Entries keep what happened as structured fields (status, tracking status,
//! issue and request kinds); titles are written from them in the reader's
//! language by [`TimelineEntry::localized`]. The log stores English titles
//! and readers localize on the way out, so one event serves every language.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::carriers::status::{TrackingDetail, TrackingStatus};
use crate::domain::{Carrier, ChangeSource, Locale, MessageEventKind, NotificationStatus, OrderStatus};
use crate::i18n::{self, titles};
use crate::models::{
    CustomerRequest, MessageFact, NewOrderEvent, NewStatusChange, Notification, Order, Shipment, ShipmentIssue,
    StatusChange, TrackingEvent,
};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShipmentView {
    pub id: Uuid,
    pub carrier: Carrier,
    pub tracking_number: String,
    pub tracking_status: String,
    /// `tracking_status` in words, in the language asked for.
    #[serde(default)]
    pub tracking_status_text: String,
    /// The carrier's public tracking page.
    pub tracking_url: String,
    pub created_at: DateTime<Utc>,
}

impl ShipmentView {
    pub fn new(s: &Shipment, locale: Locale) -> Self {
        ShipmentView {
            id: s.id,
            carrier: s.carrier,
            tracking_number: s.tracking_number.clone(),
            tracking_status: s.tracking_status.clone(),
            tracking_status_text: parcel_state(&s.tracking_status, locale).to_owned(),
            tracking_url: s.tracking_url(),
            created_at: s.created_at,
        }
    }
}

/// A stored tracking status in words; a value we no longer know reads as a
/// plain carrier update.
fn parcel_state(tracking_status: &str, locale: Locale) -> &'static str {
    i18n::tracking_status_text(tracking_status.parse().unwrap_or(TrackingStatus::Unknown), locale)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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
    /// What became of a message: delivered, bounced, opened, clicked,
    /// rated (staff only).
    MessageEvent,
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
            TimelineKind::MessageEvent => "message_event",
        }
    }

    /// Kinds only staff see.
    pub fn staff_only(self) -> bool {
        matches!(self, TimelineKind::Notification | TimelineKind::MessageEvent)
    }
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    /// When it happened (not when we heard of it).
    pub occurred_at: DateTime<Utc>,
    /// A human sentence in the language asked for, e.g. "Order shipped".
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
    /// Carrier events: the carrier's own words, untranslated (the title is
    /// the normalized status).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier_text: Option<String>,
    /// Issues: eta_passed, no_scan, carrier_exception or eta_moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_kind: Option<String>,
    /// Issues: the parcel's estimated delivery when detected (for eta_moved,
    /// the new estimate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    /// Requests and their outcome: reschedule, change_address or contact_support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_kind: Option<String>,
    /// Requests and their outcome: open, resolved or rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_status: Option<String>,
    /// Carrier events and issues: the parcel they are about (one of the
    /// order's `shipments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<Uuid>,
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
            carrier_text: None,
            issue_kind: None,
            estimated_delivery_at: None,
            request_kind: None,
            request_status: None,
            shipment_id: None,
        }
    }

    pub fn status_change(h: &StatusChange) -> Self {
        Self::new_status_change(&NewStatusChange {
            order_id: h.order_id,
            from_status: h.from_status,
            to_status: h.to_status,
            source: h.source,
            actor: h.actor.clone(),
            note: h.note.clone(),
            occurred_at: h.occurred_at,
        })
    }

    /// The entry of a change not written yet (the same as once it is), so
    /// that it can be written beside it.
    pub fn new_status_change(h: &NewStatusChange) -> Self {
        TimelineEntry {
            status: Some(h.to_status),
            from_status: h.from_status,
            source: Some(h.source),
            actor: Some(h.actor.clone()),
            note: h.note.clone(),
            ..Self::blank(TimelineKind::StatusChange, h.occurred_at, String::new())
        }
        .in_english()
    }

    pub fn shipment_added(s: &Shipment) -> Self {
        TimelineEntry {
            shipment: Some(ShipmentView::new(s, Locale::En)),
            ..Self::blank(TimelineKind::ShipmentAdded, s.created_at, String::new())
        }
        .in_english()
    }

    pub fn carrier_event(e: &TrackingEvent) -> Self {
        TimelineEntry {
            tracking_status: Some(e.status.clone()),
            detail: e.detail.clone(),
            location: e.location.clone(),
            carrier_text: Some(e.description.clone()),
            shipment_id: Some(e.shipment_id),
            ..Self::blank(TimelineKind::CarrierEvent, e.occurred_at, String::new())
        }
        .in_english()
    }

    pub fn issue(i: &ShipmentIssue) -> Self {
        TimelineEntry {
            detail: i.detail.clone(),
            issue_kind: Some(i.kind.clone()),
            estimated_delivery_at: i.estimated_delivery_at,
            shipment_id: Some(i.shipment_id),
            // A kind the catalog does not know keeps the description.
            ..Self::blank(TimelineKind::Issue, i.detected_at, i.description.clone())
        }
        .in_english()
    }

    pub fn customer_request(r: &CustomerRequest) -> Self {
        TimelineEntry {
            detail: Some(r.status.clone()),
            actor: Some(r.requested_by.clone()),
            request_kind: Some(r.kind.clone()),
            request_status: Some(r.status.clone()),
            ..Self::blank(TimelineKind::CustomerRequest, r.created_at, String::new())
        }
        .in_english()
    }

    /// Customer service closed a request; their reply is the shopper's to
    /// read, `resolver` is staff-only.
    pub fn request_resolved(r: &CustomerRequest, resolver: &str) -> Self {
        TimelineEntry {
            detail: r.resolution.clone(),
            actor: Some(resolver.to_owned()),
            request_kind: Some(r.kind.clone()),
            request_status: Some(r.status.clone()),
            ..Self::blank(TimelineKind::RequestResolved, r.updated_at, String::new())
        }
        .in_english()
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

    /// What became of a message (staff only), e.g. "email to ana@example.com
    /// bounced", "sms link clicked".
    pub fn message_event(fact: &MessageFact) -> Self {
        let event = &fact.event;
        let message = match (fact.channel, &fact.recipient) {
            (Some(channel), Some(recipient)) => format!("{channel} to {recipient}"),
            _ => "a message we cannot match".to_owned(),
        };
        let what = match event.kind {
            MessageEventKind::Opened if event.machine => "opened by a mail-privacy proxy".to_owned(),
            MessageEventKind::Clicked => "link clicked".to_owned(),
            MessageEventKind::Rated => {
                let score = event.detail.get("score").and_then(|s| s.as_i64()).unwrap_or_default();
                format!("rated {score}/5")
            }
            kind => kind.to_string(),
        };
        let text = |key: &str| event.detail.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        TimelineEntry {
            detail: Some(event.kind.to_string()),
            note: text("url").or_else(|| text("reason")).or_else(|| text("comment")),
            ..Self::blank(TimelineKind::MessageEvent, event.occurred_at, format!("{message} {what}"))
        }
    }

    /// Without what only staff may see.
    pub fn redacted(self) -> Self {
        TimelineEntry { actor: None, note: None, ..self }
    }

    /// As stored in the event log: English, times of day in UTC.
    fn in_english(self) -> Self {
        self.localized(Locale::En, Tz::UTC)
    }

    /// Whether [`localized`](Self::localized) writes a date (in the
    /// shopper's zone) into the title: an issue's new estimated delivery.
    pub fn writes_a_date(&self) -> bool {
        self.kind == TimelineKind::Issue && self.estimated_delivery_at.is_some()
    }

    /// The entry with its title (and parcel state) written in `locale`,
    /// dates in `zone`, from its structured fields. An entry missing the
    /// field its title needs (logged before it existed) keeps its title.
    /// Messages (staff only) stay as logged.
    pub fn localized(mut self, locale: Locale, zone: Tz) -> Self {
        let title = match self.kind {
            TimelineKind::StatusChange => self.status.map(|s| i18n::status_text(s, locale).to_owned()),
            TimelineKind::ShipmentAdded => self
                .shipment
                .as_ref()
                .map(|s| titles::shipment_created(s.carrier.display_name(), &s.tracking_number, locale)),
            TimelineKind::CarrierEvent => {
                // Logged before scans had `carrier_text`, the title was the carrier's words.
                if self.carrier_text.is_none() {
                    self.carrier_text = Some(self.title.clone());
                }
                let detail = self.detail.as_deref().and_then(|d| d.parse::<TrackingDetail>().ok());
                self.tracking_status
                    .as_deref()
                    .map(|s| titles::carrier_event(s.parse().unwrap_or(TrackingStatus::Unknown), detail, locale))
            }
            TimelineKind::Issue => self
                .issue_kind
                .as_deref()
                .and_then(|kind| titles::issue(kind, self.detail.as_deref(), self.estimated_delivery_at, locale, zone)),
            TimelineKind::CustomerRequest => {
                let status = self.request_status.as_deref().unwrap_or("open");
                self.request_kind.as_deref().map(|k| titles::request(k, status, locale).to_owned())
            }
            TimelineKind::RequestResolved => {
                let kind = self.request_kind.as_deref().unwrap_or_default();
                self.request_status.as_deref().map(|s| titles::request_outcome(kind, s, locale).to_owned())
            }
            TimelineKind::Notification | TimelineKind::MessageEvent => None,
        };
        if let Some(title) = title {
            self.title = title;
        }
        if let Some(shipment) = &mut self.shipment {
            shipment.tracking_status_text = parcel_state(&shipment.tracking_status, locale).to_owned();
        }
        self
    }

    /// This entry as a live event of `order`.
    pub fn event_for(&self, order: &Order) -> NewOrderEvent {
        self.event_of(order.id, order.customer_id)
    }

    /// [`event_for`](Self::event_for) the order `order_id` of `customer_id`.
    pub fn event_of(&self, order_id: Uuid, customer_id: Option<Uuid>) -> NewOrderEvent {
        NewOrderEvent {
            order_id,
            customer_id,
            kind: self.kind.as_str().to_owned(),
            staff_only: self.kind.staff_only(),
            entry: serde_json::to_value(self).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(status: &str, detail: Option<&str>, description: &str) -> TrackingEvent {
        TrackingEvent {
            id: 1,
            shipment_id: Uuid::nil(),
            status: status.into(),
            detail: detail.map(str::to_owned),
            carrier_code: "X".into(),
            description: description.into(),
            location: Some("Madrid".into()),
            occurred_at: Utc::now(),
            recorded_at: Utc::now(),
            source: "webhook".into(),
            receipt_id: None,
            applied: true,
            raw: serde_json::json!({}),
        }
    }

    #[test]
    fn a_carrier_scan_is_titled_by_its_normalized_status_and_keeps_the_carrier_words() {
        let entry = TimelineEntry::carrier_event(&scan("exception", Some("customs_delay"), "Held at customs"));
        assert_eq!(entry.title, "Delivery problem: held in customs");
        let ru = entry.localized(Locale::Ru, Tz::Europe__Moscow);
        assert_eq!(ru.title, "Проблема с доставкой: задержана на таможне");
        assert_eq!(ru.carrier_text.as_deref(), Some("Held at customs"));
        assert_eq!(ru.detail.as_deref(), Some("customs_delay"));
    }

    #[test]
    fn an_entry_logged_before_localization_still_reads_in_the_language_asked_for() {
        // As `order_events` held it before entries carried `carrier_text` and kinds.
        let logged = serde_json::json!({
            "kind": "carrier_event", "occurred_at": "2026-03-01T10:00:00Z", "title": "Picked up",
            "tracking_status": "in_transit", "location": "Simulated hub",
        });
        let entry: TimelineEntry = serde_json::from_value(logged).unwrap();
        let es = entry.localized(Locale::Es, Tz::UTC);
        assert_eq!(es.title, "En tránsito");
        assert_eq!(es.carrier_text.as_deref(), Some("Picked up"));

        let issue = serde_json::json!({
            "kind": "issue", "occurred_at": "2026-03-01T10:00:00Z", "title": "No carrier scan since 2026-02-27",
        });
        let entry: TimelineEntry = serde_json::from_value(issue).unwrap();
        assert_eq!(entry.localized(Locale::Ro, Tz::UTC).title, "No carrier scan since 2026-02-27");
    }

    #[test]
    fn status_changes_read_as_the_status() {
        let entry = TimelineEntry {
            status: Some(OrderStatus::Delivered),
            ..TimelineEntry::blank(TimelineKind::StatusChange, Utc::now(), "Delivered".into())
        };
        assert_eq!(entry.clone().localized(Locale::Ru, Tz::UTC).title, "Доставлен");
        assert_eq!(entry.localized(Locale::Es, Tz::UTC).title, "Entregado");
    }
}
