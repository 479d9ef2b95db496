//! One order event as live-update clients receive it, rendered on demand,
//! at most once per audience and language: staff see everything, shoppers
//! never see staff-only events nor the internal fields of an entry. The log
//! holds the entry in English; it is localized here, on the way out, so one
//! event serves subscribers of every language.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::{Locale, OrderStatus};
use ordertrack_shared::i18n::{zone_for_country, Tz};
use ordertrack_shared::models::{EventOrder, OrderEvent};
use ordertrack_shared::orders::timeline::{TimelineEntry, INTERNAL_FIELDS};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// The JSON of an event (SSE `data:`, WebSocket `event`).
#[derive(Debug, Serialize, ToSchema)]
pub struct LiveEventBody {
    /// The event id: resume after it with `Last-Event-ID`.
    pub id: i64,
    pub order_id: Uuid,
    /// status_change, shipment_added, carrier_event, issue, customer_request,
    /// request_resolved, notification (staff only).
    pub kind: String,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// The timeline entry, as `GET /api/v1/orders/{id}/timeline` shows it, in
    /// the language the stream was opened with (`locale`, `Accept-Language`,
    /// else the order's).
    #[schema(value_type = crate::views::TimelineEntry)]
    pub entry: Value,
}

/// How many languages an event is rendered in.
const LOCALES: usize = Locale::ALL.len();

#[derive(Debug)]
pub struct LiveEvent {
    pub id: i64,
    pub order_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub kind: String,
    /// The order's status when the event was read (the admin stream filters on it).
    pub order_status: OrderStatus,
    /// The language of subscribers who asked for none.
    pub order_locale: Locale,
    pub created_at: DateTime<Utc>,
    /// Seen by staff only.
    staff_only: bool,
    /// The entry as logged (English).
    entry: Value,
    /// The country's zone stands in for each shopper's own (the timeline
    /// endpoint reads their preference): per event, not per subscriber.
    zone: Tz,
    /// The event JSON, rendered on first demand and at most once per
    /// audience and language: staff in `Locale::ALL` order, then shoppers.
    /// Most events have no watcher on a given replica, and most watchers
    /// share a language.
    rendered: [OnceLock<String>; 2 * LOCALES],
}

impl LiveEvent {
    pub fn new(event: OrderEvent, order: EventOrder) -> LiveEvent {
        LiveEvent {
            id: event.id,
            order_id: event.order_id,
            customer_id: event.customer_id,
            kind: event.kind,
            order_status: order.status,
            order_locale: order.locale,
            created_at: event.created_at,
            staff_only: event.staff_only,
            entry: event.entry,
            zone: zone_for_country(&order.ship_country),
            rendered: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// Whether this audience may see the event at all.
    pub fn visible_to(&self, staff: bool) -> bool {
        staff || !self.staff_only
    }

    /// The JSON this audience may see, if any, in `locale` (else the order's).
    pub fn json_for(&self, staff: bool, locale: Option<Locale>) -> Option<&str> {
        if !self.visible_to(staff) {
            return None;
        }
        let locale = locale.unwrap_or(self.order_locale);
        let index = Locale::ALL.iter().position(|l| *l == locale)?;
        let slot = if staff { index } else { LOCALES + index };
        Some(self.rendered[slot].get_or_init(|| self.render(staff, locale)))
    }

    fn render(&self, staff: bool, locale: Locale) -> String {
        let mut entry = match serde_json::from_value::<TimelineEntry>(self.entry.clone()) {
            Ok(entry) => serde_json::to_value(entry.localized(locale, self.zone)).unwrap_or_default(),
            // Not an entry this version reads: as logged.
            Err(_) => self.entry.clone(),
        };
        if let (false, Some(fields)) = (staff, entry.as_object_mut()) {
            for field in INTERNAL_FIELDS {
                fields.remove(field);
            }
        }
        serde_json::to_string(&LiveEventBody {
            id: self.id,
            order_id: self.order_id,
            kind: self.kind.clone(),
            created_at: self.created_at,
            entry,
        })
        .unwrap_or_default()
    }

    /// A customer request or its outcome (the admin stream's `queue=requests`).
    pub fn is_request(&self) -> bool {
        matches!(self.kind.as_str(), "customer_request" | "request_resolved")
    }
}
