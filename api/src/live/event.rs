//! One order event as live-update clients receive it, rendered once per
//! audience and language: staff see everything, shoppers never see
//! staff-only events nor the internal fields of an entry. The log holds the
//! entry in English; it is localized here, on the way out, so one event
//! serves subscribers of every language.

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::{Locale, OrderStatus};
use ordertrack_shared::i18n::zone_for_country;
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
    /// The event JSON for staff, one per locale in `Locale::ALL` order.
    staff_json: Vec<String>,
    /// The event JSON for shoppers, likewise; `None` when they may not see it.
    public_json: Option<Vec<String>>,
}

impl LiveEvent {
    pub fn new(event: OrderEvent, order: EventOrder) -> LiveEvent {
        // Per event, not per subscriber: the country's zone stands in for
        // each shopper's own (the timeline endpoint reads their preference).
        let zone = zone_for_country(&order.ship_country);
        let readable: Option<TimelineEntry> = serde_json::from_value(event.entry.clone()).ok();
        let localized = |locale: Locale| match &readable {
            Some(entry) => serde_json::to_value(entry.clone().localized(locale, zone)).unwrap_or_default(),
            // Not an entry this version reads: as logged.
            None => event.entry.clone(),
        };
        let body = |entry: Value| {
            serde_json::to_string(&LiveEventBody {
                id: event.id,
                order_id: event.order_id,
                kind: event.kind.clone(),
                created_at: event.created_at,
                entry,
            })
            .unwrap_or_default()
        };
        let public_json = (!event.staff_only).then(|| {
            Locale::ALL
                .iter()
                .map(|locale| {
                    let mut entry = localized(*locale);
                    if let Some(fields) = entry.as_object_mut() {
                        for field in INTERNAL_FIELDS {
                            fields.remove(field);
                        }
                    }
                    body(entry)
                })
                .collect()
        });
        let staff_json = Locale::ALL.iter().map(|locale| body(localized(*locale))).collect();
        LiveEvent {
            id: event.id,
            order_id: event.order_id,
            customer_id: event.customer_id,
            kind: event.kind.clone(),
            order_status: order.status,
            order_locale: order.locale,
            created_at: event.created_at,
            staff_json,
            public_json,
        }
    }

    /// Whether this audience may see the event at all.
    pub fn visible_to(&self, staff: bool) -> bool {
        staff || self.public_json.is_some()
    }

    /// The JSON this audience may see, if any, in `locale` (else the order's).
    pub fn json_for(&self, staff: bool, locale: Option<Locale>) -> Option<&str> {
        let locale = locale.unwrap_or(self.order_locale);
        let index = Locale::ALL.iter().position(|l| *l == locale)?;
        let texts = if staff { Some(&self.staff_json) } else { self.public_json.as_ref() };
        texts?.get(index).map(String::as_str)
    }

    /// A customer request or its outcome (the admin stream's `queue=requests`).
    pub fn is_request(&self) -> bool {
        matches!(self.kind.as_str(), "customer_request" | "request_resolved")
    }
}
