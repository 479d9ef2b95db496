//! One order event as live-update clients receive it, rendered once per
//! audience: staff see everything, shoppers never see staff-only events nor
//! the internal fields of an entry.

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::OrderStatus;
use ordertrack_shared::models::OrderEvent;
use ordertrack_shared::orders::timeline::INTERNAL_FIELDS;
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
    /// The timeline entry, as `GET /api/v1/orders/{id}/timeline` shows it.
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
    pub created_at: DateTime<Utc>,
    /// The event JSON for staff.
    pub staff_json: String,
    /// The event JSON for shoppers; `None` when they may not see it.
    pub public_json: Option<String>,
}

impl LiveEvent {
    pub fn new(event: OrderEvent, order_status: OrderStatus) -> LiveEvent {
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
            let mut entry = event.entry.clone();
            if let Some(fields) = entry.as_object_mut() {
                for field in INTERNAL_FIELDS {
                    fields.remove(field);
                }
            }
            body(entry)
        });
        LiveEvent {
            id: event.id,
            order_id: event.order_id,
            customer_id: event.customer_id,
            kind: event.kind.clone(),
            order_status,
            created_at: event.created_at,
            staff_json: body(event.entry.clone()),
            public_json,
        }
    }

    /// The JSON this audience may see, if any.
    pub fn json_for(&self, staff: bool) -> Option<&str> {
        if staff {
            Some(&self.staff_json)
        } else {
            self.public_json.as_deref()
        }
    }

    /// A customer request or its outcome (the admin stream's `queue=requests`).
    pub fn is_request(&self) -> bool {
        matches!(self.kind.as_str(), "customer_request" | "request_resolved")
    }
}
