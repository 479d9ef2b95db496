//! A shopper's request about a parcel, shared by the owner's and the
//! guest's endpoints. An address change applies to the order at once
//! (status `applied`); a reschedule and a support message wait for customer
//! service (status `open`), who agree the date with the carrier or reply.
//! Each is confirmed to the shopper, shown in the timeline and audited.

use chrono::{NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use ordertrack_shared::carriers::TrackingStatus;
use ordertrack_shared::domain::NotificationEvent;
use ordertrack_shared::models::shipment::end_of_day;
use ordertrack_shared::models::{CustomerRequest, NewAuditEntry, NewOrderEvent, Notification, Order, Shipment};
use ordertrack_shared::notify::notify_order;
use ordertrack_shared::orders::timeline::TimelineEntry;
use ordertrack_shared::orders::{AvailableActions, Unavailable};
use ordertrack_shared::templates::format_date;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::validate::{text, AddressInput};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CustomerRequestBody {
    /// A new delivery date, from tomorrow to the end of the allowed window.
    Reschedule { date: NaiveDate },
    /// Deliver elsewhere; only before the parcel is out for delivery.
    ChangeAddress { address: AddressInput },
    /// A message for customer service, with the order attached.
    ContactSupport {
        #[schema(min_length = 1, max_length = 2000)]
        message: String,
    },
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerRequestView {
    pub id: Uuid,
    pub order_id: Uuid,
    pub kind: String,
    /// `applied` (address changes), or `open` until customer service
    /// resolves or rejects it.
    pub status: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// Customer service's reply, once resolved or rejected.
    pub resolution: Option<String>,
    /// Staff only: who in customer service took it on, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<chrono::DateTime<Utc>>,
    pub created_at: chrono::DateTime<Utc>,
}

impl From<&CustomerRequest> for CustomerRequestView {
    fn from(r: &CustomerRequest) -> Self {
        CustomerRequestView {
            id: r.id,
            order_id: r.order_id,
            kind: r.kind.clone(),
            status: r.status.clone(),
            details: r.details.clone(),
            resolution: r.resolution.clone(),
            claimed_by: r.claimed_by.clone(),
            claimed_at: r.claimed_at,
            created_at: r.created_at,
        }
    }
}

/// What a request does once validated.
struct Plan {
    kind: &'static str,
    status: &'static str,
    details: serde_json::Value,
    /// The order after the request's immediate effect, if it has one.
    changed: Option<Order>,
    /// What the shopper is told: the event, its reason code and message.
    notice: (NotificationEvent, &'static str, String),
}

/// Validates the request against the order and writes it with its effect,
/// timeline entry, audit row and the shopper's confirmation, in the caller's
/// transaction. An address change applies at once; a reschedule waits for
/// customer service to agree it with the carrier; a support message waits
/// for a reply.
pub async fn create(
    conn: &mut AsyncPgConnection,
    order: &Order,
    body: &CustomerRequestBody,
    requested_by: &str,
    role: &str,
    window_days: i64,
) -> Result<(CustomerRequest, Vec<Notification>), ApiError> {
    let shipments = Shipment::for_order(conn, order.id).await?;
    let available = AvailableActions::for_order(order, &shipments, Utc::now().date_naive(), window_days);
    let refuse = |reason: Unavailable, action: &str| ApiError::conflict(reason.code(), reason.explain(action));
    let plan = match body {
        CustomerRequestBody::Reschedule { date } => {
            let option = &available.reschedule;
            let (Some(window), Some(parcel_id)) = (option.window, option.shipment_id) else {
                return Err(refuse(option.reason.unwrap_or(Unavailable::TooLate), "reschedule"));
            };
            if !window.contains(*date) {
                return Err(ApiError::invalid(
                    "date",
                    format!("choose a date from {} to {}", window.earliest, window.latest),
                ));
            }
            let shown = format_date(end_of_day(*date), order.locale);
            Plan {
                kind: "reschedule",
                status: "open",
                details: json!({"date": date, "shipment_id": parcel_id}),
                changed: None,
                notice: (NotificationEvent::RequestReceived, "reschedule", shown),
            }
        }
        CustomerRequestBody::ChangeAddress { address } => {
            if let Some(reason) = available.change_address.reason {
                return Err(refuse(reason, "change the address"));
            }
            let new_address = address.validate("address")?;
            // No carrier API we use redirects a parcel: staff see which are on their way.
            let in_flight: Vec<&str> = shipments
                .iter()
                .filter(|s| !s.tracking_status.parse().is_ok_and(|status: TrackingStatus| status.is_final()))
                .map(|s| s.tracking_number.as_str())
                .collect();
            let details = json!({
                "address": new_address,
                "previous_address": order.shipping_address(),
                "parcels_in_flight": in_flight,
            });
            let changed = Order::change_address(conn, order.id, &new_address).await?;
            Plan {
                kind: "change_address",
                status: "applied",
                details,
                changed: Some(changed),
                notice: (NotificationEvent::RequestResolved, "address_changed", new_address.one_line()),
            }
        }
        CustomerRequestBody::ContactSupport { message } => {
            if let Some(reason) = available.contact_support.reason {
                return Err(refuse(reason, "write to support"));
            }
            let message = text("message", message, 2000)?;
            let preview: String = message.chars().take(200).collect();
            Plan {
                kind: "contact_support",
                status: "open",
                details: json!({"message": message}),
                changed: None,
                notice: (NotificationEvent::RequestReceived, "contact_support", preview),
            }
        }
    };
    let order = plan.changed.as_ref().unwrap_or(order);
    let now = Utc::now();
    let request = CustomerRequest {
        id: Uuid::now_v7(),
        order_id: order.id,
        shipment_id: available.reschedule.shipment_id,
        kind: plan.kind.to_owned(),
        status: plan.status.to_owned(),
        details: plan.details,
        requested_by: requested_by.to_owned(),
        resolution: None,
        created_at: now,
        updated_at: now,
        resolved_by: None,
        claimed_by: None,
        claimed_at: None,
    };
    request.insert(conn).await?;
    NewOrderEvent::append(conn, &[TimelineEntry::customer_request(&request).event_for(order)]).await?;
    NewAuditEntry {
        actor: requested_by.to_owned(),
        role: role.to_owned(),
        action: format!("customer_request.{}", plan.kind),
        target_type: Some("order".into()),
        target_id: Some(order.id.to_string()),
        after: Some(json!({"request_id": request.id, "status": request.status, "details": request.details})),
        ..NewAuditEntry::default()
    }
    .insert(conn)
    .await?;
    let (event, reason_code, message) = plan.notice;
    let payload = json!({"reason_code": reason_code, "message": message});
    let notifications = notify_order(conn, order, event, &format!("request-{}", request.id), payload).await?;
    Ok((request, notifications))
}
