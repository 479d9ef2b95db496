//! Applying carrier tracking updates: keep every event, order them by when
//! they happened, never move a parcel backwards, derive the order's status
//! from its parcels, and record (and announce) delays and exceptions.
//!
//! The rule for a parcel's status: the newest event (by `occurred_at`) wins;
//! an event older than the newest one we know is recorded, not applied; a
//! final status (delivered, returned to sender, cancelled) is never replaced
//! by a non-final one. Ties on time go to the further-along status.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::carriers::{TrackingDetail, TrackingStatus, TrackingUpdate};
use crate::domain::{ChangeSource, NotificationEvent, OrderStatus, Role};
use crate::models::{
    NewOrderEvent, NewTrackingEvent, Notification, Order, Shipment, ShipmentIssue, ShipmentTracking, TrackingEvent,
};
use crate::notify::notify_order;
use crate::orders::timeline::TimelineEntry;
use crate::orders::workflow::path_to;
use crate::orders::{change_status, current_workflow, StatusChangeError, StatusChangeRequest};

/// Where an update came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateSource {
    Webhook,
    Poll,
    Simulator,
}

impl UpdateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateSource::Webhook => "webhook",
            UpdateSource::Poll => "poll",
            UpdateSource::Simulator => "simulator",
        }
    }
}

/// What applying an update did.
#[derive(Debug, Default)]
pub struct Applied {
    /// False when no shipment has this carrier and tracking number.
    pub matched: bool,
    pub new_events: usize,
    pub status_changed: bool,
    /// Outbox rows to enqueue after commit.
    pub notifications: Vec<Notification>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl From<StatusChangeError> for ApplyError {
    fn from(e: StatusChangeError) -> Self {
        match e {
            StatusChangeError::Db(e) => ApplyError::Db(e),
            other => ApplyError::Db(diesel::result::Error::QueryBuilderError(other.to_string().into())),
        }
    }
}

fn parse_status(text: &str) -> TrackingStatus {
    text.parse().unwrap_or(TrackingStatus::Unknown)
}

/// Applies one parcel's update inside the caller's transaction.
pub async fn apply_update(
    conn: &mut AsyncPgConnection,
    update: &TrackingUpdate,
    source: UpdateSource,
    receipt_id: Option<Uuid>,
) -> Result<Applied, ApplyError> {
    let Some(shipment) = Shipment::find_by_tracking_for_update(conn, update.carrier, &update.tracking_number).await?
    else {
        tracing::info!(carrier = %update.carrier, tracking_number = %update.tracking_number, "update for an unknown parcel");
        return Ok(Applied::default());
    };
    let mut applied = Applied { matched: true, ..Applied::default() };
    let mut events = update.events.clone();
    events.sort_by_key(|e| e.occurred_at);

    let mut status = parse_status(&shipment.tracking_status);
    let mut detail: Option<TrackingDetail> = shipment.tracking_detail.as_deref().and_then(|d| d.parse().ok());
    let mut latest = shipment.last_event_at;
    let mut winner: Option<(i64, TrackingStatus, Option<TrackingDetail>)> = None;
    let mut recorded = Vec::new();
    for event in &events {
        let row = NewTrackingEvent {
            shipment_id: shipment.id,
            status: event.status.to_string(),
            detail: event.detail.map(|d| d.to_string()),
            carrier_code: event.carrier_code.clone(),
            description: event.description.clone(),
            location: event.location.clone(),
            occurred_at: event.occurred_at,
            source: source.as_str().to_owned(),
            receipt_id,
            applied: false,
            raw: serde_json::to_value(event).unwrap_or_default(),
        }
        .insert_once(conn)
        .await?;
        let Some(row) = row else { continue };
        applied.new_events += 1;
        let row_id = row.id;
        recorded.push(row);
        let newer = match latest {
            None => true,
            Some(t) => event.occurred_at > t || (event.occurred_at == t && event.status.progress() > status.progress()),
        };
        let locked = status.is_final() && !event.status.is_final();
        if newer && !locked {
            status = event.status;
            detail = event.detail;
            latest = Some(event.occurred_at);
            winner = Some((row_id, event.status, event.detail));
        }
    }
    if let Some((row_id, _, _)) = winner {
        TrackingEvent::mark_applied(conn, row_id).await?;
    }
    let old_status = parse_status(&shipment.tracking_status);
    applied.status_changed = winner.is_some() && status != old_status;
    // An agreed reschedule date holds against the carrier's older estimates.
    let eta = shipment.effective_estimate(update.estimated_delivery.or(shipment.estimated_delivery_at));
    let last_webhook_at = if source == UpdateSource::Webhook { Some(Utc::now()) } else { shipment.last_webhook_at };
    let tracking = ShipmentTracking {
        tracking_status: status.to_string(),
        tracking_detail: detail.map(|d| d.to_string()),
        last_event_at: latest,
        estimated_delivery_at: eta,
        delivered_at: if status == TrackingStatus::Delivered { latest } else { None },
        last_webhook_at,
    };
    Shipment::update_tracking(conn, shipment.id, &tracking).await?;
    // Lock the order now: parcels of one order updated at once take turns,
    // so each derives the order's status from the other's result.
    let mut order = Order::find_for_update(conn, shipment.order_id).await?;
    let scans: Vec<_> = recorded.iter().map(|row| TimelineEntry::carrier_event(row).event_for(&order)).collect();
    NewOrderEvent::append(conn, &scans).await?;

    // The order follows its parcels.
    let mut order_notified_exception = false;
    if applied.status_changed {
        if let Some(target) = order_status_for(conn, order.id).await? {
            let payload = serde_json::json!({"reason_code": detail.map(|d| d.to_string()).unwrap_or_default()});
            let occurred_at = latest.unwrap_or_else(Utc::now);
            let (moved, notes) = move_order(conn, &order, target, update, occurred_at, payload).await?;
            order_notified_exception = moved && target == OrderStatus::Exception;
            applied.notifications.extend(notes);
            order = Order::find(conn, order.id).await?;
        }
    }

    // A carrier exception is an issue of its own (the timeline shows it); it
    // is announced here unless the order's move to `exception` just did.
    if applied.status_changed && matches!(status, TrackingStatus::Exception | TrackingStatus::FailedAttempt) {
        let reason = detail.map(|d| d.to_string()).unwrap_or_else(|| status.to_string());
        let issue = Issue {
            kind: "carrier_exception",
            detail: Some(reason.clone()),
            description: format!("{} reported a problem: {reason}", update.carrier.display_name()),
            eta,
            key: format!(
                "carrier_exception:{}:{status}:{reason}:{}",
                shipment.id,
                latest.map(|t| t.timestamp()).unwrap_or_default()
            ),
        };
        applied.notifications.extend(record_issue(conn, &order, &shipment, issue, !order_notified_exception).await?);
    }

    // The carrier moved the estimate later (by a day or more): a delay.
    let moved_to = update.estimated_delivery.and_then(|carrier| shipment.effective_estimate(Some(carrier)));
    if let (Some(old), Some(new)) = (shipment.estimated_delivery_at, moved_to) {
        if new.date_naive() > old.date_naive() && !status.is_final() {
            let issue = Issue {
                kind: "eta_moved",
                detail: Some("carrier_delay".into()),
                description: format!(
                    "{} moved the estimated delivery to {}",
                    update.carrier.display_name(),
                    new.date_naive()
                ),
                eta: Some(new),
                key: format!("eta_moved:{}:{}", shipment.id, new.date_naive()),
            };
            applied.notifications.extend(record_issue(conn, &order, &shipment, issue, true).await?);
        }
    }
    Ok(applied)
}

/// An issue to record.
pub struct Issue {
    pub kind: &'static str,
    pub detail: Option<String>,
    pub description: String,
    pub eta: Option<DateTime<Utc>>,
    /// What makes it materially new; the same key never records twice.
    pub key: String,
}

/// Records the issue once and, when asked, announces it on the critical
/// queue: delays as `delayed`, problems the shopper must act on as
/// `action_needed`, other problems as `delivery_exception`.
pub async fn record_issue(
    conn: &mut AsyncPgConnection,
    order: &Order,
    shipment: &Shipment,
    issue: Issue,
    notify: bool,
) -> Result<Vec<Notification>, diesel::result::Error> {
    let id = Uuid::now_v7();
    let row = ShipmentIssue {
        id,
        shipment_id: shipment.id,
        order_id: order.id,
        kind: issue.kind.to_owned(),
        detail: issue.detail.clone(),
        description: issue.description.clone(),
        estimated_delivery_at: issue.eta,
        dedupe_key: issue.key,
        detected_at: Utc::now(),
    };
    if !row.insert_once(conn).await? {
        return Ok(Vec::new());
    }
    NewOrderEvent::append(conn, &[TimelineEntry::issue(&row).event_for(order)]).await?;
    if !notify {
        return Ok(Vec::new());
    }
    let event = match (issue.kind, issue.detail.as_deref()) {
        ("carrier_exception", Some("customs_payment" | "pickup_required" | "address_issue")) => {
            NotificationEvent::ActionNeeded
        }
        ("carrier_exception", _) => NotificationEvent::DeliveryException,
        _ => NotificationEvent::Delayed,
    };
    let mut payload = serde_json::json!({"reason_code": issue.detail.unwrap_or_default()});
    if let Some(eta) = issue.eta {
        payload["new_estimated_delivery"] = eta.to_rfc3339().into();
    }
    notify_order(conn, order, event, &format!("issue-{id}"), payload).await
}

/// The order status its parcels imply, if any.
async fn order_status_for(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
) -> Result<Option<OrderStatus>, diesel::result::Error> {
    let statuses: Vec<TrackingStatus> = Shipment::for_order(conn, order_id)
        .await?
        .iter()
        .map(|s| parse_status(&s.tracking_status))
        .filter(|s| *s != TrackingStatus::Cancelled)
        .collect();
    Ok(derive_order_status(&statuses))
}

/// All delivered: delivered. All returned: returned. Any problem: exception.
/// Any out for delivery: out for delivery. Any moving: in transit.
pub fn derive_order_status(parcels: &[TrackingStatus]) -> Option<OrderStatus> {
    use TrackingStatus as T;
    if parcels.is_empty() {
        return None;
    }
    let all = |s: T| parcels.iter().all(|p| *p == s);
    let any = |set: &[T]| parcels.iter().any(|p| set.contains(p));
    if all(T::Delivered) {
        Some(OrderStatus::Delivered)
    } else if all(T::ReturnToSender) {
        Some(OrderStatus::Returned)
    } else if any(&[T::Exception, T::FailedAttempt]) {
        Some(OrderStatus::Exception)
    } else if any(&[T::OutForDelivery]) {
        Some(OrderStatus::OutForDelivery)
    } else if any(&[T::InTransit, T::AvailableForPickup, T::Delivered, T::ReturnToSender]) {
        Some(OrderStatus::InTransit)
    } else {
        None
    }
}

/// Walks the order through the workflow to `target` as the carrier; returns
/// whether it moved and the notifications written. A target the workflow
/// cannot reach (e.g. a cancelled order) is left alone.
async fn move_order(
    conn: &mut AsyncPgConnection,
    order: &Order,
    target: OrderStatus,
    update: &TrackingUpdate,
    occurred_at: DateTime<Utc>,
    payload: serde_json::Value,
) -> Result<(bool, Vec<Notification>), ApplyError> {
    if order.status == target {
        return Ok((false, Vec::new()));
    }
    let workflow = current_workflow(conn).await?;
    let Some(path) = path_to(&workflow, order.status, target) else {
        tracing::info!(order = %order.id, from = %order.status, to = %target, "carrier status not reachable; left as is");
        return Ok((false, Vec::new()));
    };
    let last = path.len().saturating_sub(1);
    let mut notifications = Vec::new();
    for (i, step) in path.into_iter().enumerate() {
        let changed = change_status(
            conn,
            &StatusChangeRequest {
                order_id: order.id,
                to: step,
                expected_version: None,
                role: Role::Service,
                source: ChangeSource::Carrier,
                actor: format!("carrier:{}", update.carrier),
                note: None,
                occurred_at,
                // Only the final step carries the carrier's reason.
                payload: if i == last { payload.clone() } else { serde_json::json!({}) },
            },
        )
        .await?;
        notifications.extend(changed.notifications);
    }
    Ok((true, notifications))
}

#[cfg(test)]
mod tests {
    use super::*;
    use TrackingStatus as T;

    #[test]
    fn the_order_follows_its_parcels() {
        assert_eq!(derive_order_status(&[T::InTransit]), Some(OrderStatus::InTransit));
        assert_eq!(derive_order_status(&[T::Delivered, T::InTransit]), Some(OrderStatus::InTransit));
        assert_eq!(derive_order_status(&[T::Delivered, T::Delivered]), Some(OrderStatus::Delivered));
        assert_eq!(derive_order_status(&[T::Delivered, T::Exception]), Some(OrderStatus::Exception));
        assert_eq!(derive_order_status(&[T::OutForDelivery, T::InTransit]), Some(OrderStatus::OutForDelivery));
        assert_eq!(derive_order_status(&[T::ReturnToSender]), Some(OrderStatus::Returned));
        assert_eq!(derive_order_status(&[T::PreTransit]), None);
        assert_eq!(derive_order_status(&[]), None);
    }
}
