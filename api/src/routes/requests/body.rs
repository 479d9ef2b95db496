//! A shopper's request about a parcel, shared by the owner's and the
//! guest's endpoints. None of the carrier APIs we integrate accepts
//! reschedules or address changes, so every request is queued for customer
//! service (status `open`), confirmed to the shopper by notification,
//! shown in the timeline and audited.

use chrono::{NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use ordertrack_shared::carriers::TrackingStatus;
use ordertrack_shared::domain::{NotificationEvent, OrderStatus};
use ordertrack_shared::models::{CustomerRequest, NewAuditEntry, NewOrderEvent, Notification, Order, Shipment};
use ordertrack_shared::notify::notify_order;
use ordertrack_shared::orders::timeline::TimelineEntry;
use ordertrack_shared::templates::format_date;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::validate::{country, optional_text, text, AddressInput};

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
    /// open until customer service resolves it.
    pub status: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// Who handles it: always customer service (no carrier API we use
    /// accepts these changes).
    pub handled_by: String,
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
            handled_by: "customer_service".into(),
            created_at: r.created_at,
        }
    }
}

/// Statuses after which an address can no longer change.
const TOO_LATE_FOR_ADDRESS: &[TrackingStatus] = &[
    TrackingStatus::OutForDelivery,
    TrackingStatus::Delivered,
    TrackingStatus::ReturnToSender,
    TrackingStatus::Cancelled,
];

/// Validates the request against the order and writes it, its audit row and
/// the confirmation, in the caller's transaction.
pub async fn create(
    conn: &mut AsyncPgConnection,
    order: &Order,
    body: &CustomerRequestBody,
    requested_by: &str,
    role: &str,
    window_days: i64,
) -> Result<(CustomerRequest, Vec<Notification>), ApiError> {
    if matches!(order.status, OrderStatus::Cancelled | OrderStatus::Returned) {
        return Err(ApiError::conflict("order_closed", format!("the order is {}", order.status)));
    }
    let shipments = Shipment::for_order(conn, order.id).await?;
    let statuses: Vec<TrackingStatus> =
        shipments.iter().map(|s| s.tracking_status.parse().unwrap_or(TrackingStatus::Unknown)).collect();
    let open_parcel = shipments.iter().zip(&statuses).find(|(_, s)| !s.is_final()).map(|(p, _)| p);
    let (kind, details, message) = match body {
        CustomerRequestBody::Reschedule { date } => {
            let parcel = open_parcel.ok_or_else(|| {
                ApiError::conflict("nothing_in_flight", "no parcel of this order is still on its way")
            })?;
            let today = Utc::now().date_naive();
            if *date <= today || *date > today + chrono::Duration::days(window_days) {
                return Err(ApiError::invalid(
                    "date",
                    format!("choose a date from tomorrow to {window_days} days ahead"),
                ));
            }
            let when = date.and_hms_opt(12, 0, 0).map(|d| d.and_utc()).unwrap_or_else(Utc::now);
            let shown = format_date(when, order.locale);
            ("reschedule", json!({"date": date, "shipment_id": parcel.id}), shown)
        }
        CustomerRequestBody::ChangeAddress { address } => {
            if order.status == OrderStatus::OutForDelivery || statuses.iter().any(|s| TOO_LATE_FOR_ADDRESS.contains(s))
            {
                return Err(ApiError::conflict(
                    "too_late",
                    "the address can no longer change: the parcel is out for delivery or done",
                ));
            }
            let country = country("address.country", &address.country)?;
            let new_address = json!({
                "name": text("address.name", &address.name, 200)?,
                "line1": text("address.line1", &address.line1, 200)?,
                "line2": optional_text("address.line2", address.line2.as_ref(), 200)?,
                "city": text("address.city", &address.city, 100)?,
                "region": optional_text("address.region", address.region.as_ref(), 100)?,
                "postal_code": text("address.postal_code", &address.postal_code, 20)?,
                "country": country,
            });
            let line = format!(
                "{}, {} {}, {}",
                new_address["line1"].as_str().unwrap_or_default(),
                new_address["postal_code"].as_str().unwrap_or_default(),
                new_address["city"].as_str().unwrap_or_default(),
                new_address["country"].as_str().unwrap_or_default()
            );
            ("change_address", json!({"address": new_address}), line)
        }
        CustomerRequestBody::ContactSupport { message } => {
            let message = text("message", message, 2000)?;
            let preview: String = message.chars().take(200).collect();
            ("contact_support", json!({"message": message}), preview)
        }
    };
    let now = Utc::now();
    let request = CustomerRequest {
        id: Uuid::now_v7(),
        order_id: order.id,
        shipment_id: open_parcel.map(|p| p.id),
        kind: kind.to_owned(),
        status: "open".into(),
        details,
        requested_by: requested_by.to_owned(),
        resolution: None,
        created_at: now,
        updated_at: now,
    };
    request.insert(conn).await?;
    NewOrderEvent::append(conn, &[TimelineEntry::customer_request(&request).event_for(order)]).await?;
    NewAuditEntry {
        actor: requested_by.to_owned(),
        role: role.to_owned(),
        action: format!("customer_request.{kind}"),
        target_type: Some("order".into()),
        target_id: Some(order.id.to_string()),
        after: Some(json!({"request_id": request.id, "details": request.details})),
        ..NewAuditEntry::default()
    }
    .insert(conn)
    .await?;
    let payload = json!({"reason_code": kind, "message": message});
    let notifications =
        notify_order(conn, order, NotificationEvent::RequestReceived, &format!("request-{}", request.id), payload)
            .await?;
    Ok((request, notifications))
}
