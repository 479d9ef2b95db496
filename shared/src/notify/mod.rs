//! Fan-out: which messages an order event causes. Called inside the
//! transaction of the change, so the outbox rows commit with it.
//!
//! Customers: the channels their preferences allow for the event (SMS only to
//! a verified phone, push to each live device), in their language, with SMS
//! and push held until quiet hours end unless the event is critical.
//! Guests: email for every event, SMS to the checkout phone for the events in
//! `DEFAULT_SMS_EVENTS`, in the order's language. A hard opt-out (one-click
//! unsubscribe) always wins.

pub mod preferences;

use chrono::Utc;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use self::preferences::{parse_time_zone, DEFAULT_SMS_EVENTS};
use crate::domain::{Channel, NotificationEvent};
use crate::models::{Customer, DeviceToken, NewNotification, Notification, Order, Preferences};

/// Writes the rows for `event` on `order`; returns the ones that are new.
/// `occasion` distinguishes two real occurrences of one event (e.g. the
/// history entry that caused it); the same occasion never notifies twice.
pub async fn notify_order(
    conn: &mut AsyncPgConnection,
    order: &Order,
    event: NotificationEvent,
    occasion: &str,
    payload: serde_json::Value,
) -> QueryResult<Vec<Notification>> {
    notify_order_on(conn, order, event, occasion, payload, None).await
}

/// `notify_order` limited to one channel when `only` is set (a message
/// customer service chose to send by, say, SMS). Preferences and opt-outs
/// apply all the same.
pub async fn notify_order_on(
    conn: &mut AsyncPgConnection,
    order: &Order,
    event: NotificationEvent,
    occasion: &str,
    payload: serde_json::Value,
    only: Option<Channel>,
) -> QueryResult<Vec<Notification>> {
    let mut planned = plan_order_messages(conn, order, event, occasion, payload).await?;
    if let Some(channel) = only {
        planned.retain(|n| n.channel == channel);
    }
    NewNotification::insert_all_unless_opted_out(conn, &planned).await
}

/// The messages `event` on `order` calls for, by channel, before opt-outs
/// (which the insert checks: `NewNotification::insert_all_unless_opted_out`).
/// Reads only, so a caller can plan before it writes and pipeline the rows
/// with its own writes.
pub async fn plan_order_messages(
    conn: &mut AsyncPgConnection,
    order: &Order,
    event: NotificationEvent,
    occasion: &str,
    payload: serde_json::Value,
) -> QueryResult<Vec<NewNotification>> {
    let planned = match order.customer_id {
        Some(customer_id) => plan_for_customer(conn, order, customer_id, event, occasion).await?,
        None => plan_for_guest(order, event, occasion),
    };
    let mut rows: Vec<NewNotification> = planned.into_iter().map(|n| n.payload(payload.clone())).collect();
    rows.sort_by_key(|n| Channel::ALL.iter().position(|c| *c == n.channel));
    Ok(rows)
}

async fn plan_for_customer(
    conn: &mut AsyncPgConnection,
    order: &Order,
    customer_id: uuid::Uuid,
    event: NotificationEvent,
    occasion: &str,
) -> QueryResult<Vec<NewNotification>> {
    let customer = Customer::find(conn, customer_id).await?;
    let prefs = Preferences::load_cached(conn, customer_id)
        .await?
        .unwrap_or_else(|| Preferences::defaults(customer_id, order.locale, customer.phone_verified_at.is_some()));
    let quiet_until = if event.is_critical() {
        None
    } else {
        let tz = parse_time_zone(&prefs.time_zone);
        prefs.quiet_hours.zip(tz).and_then(|(quiet, tz)| quiet.ends_after(Utc::now(), tz))
    };
    let channels = prefs.channels.get(&event).cloned().unwrap_or_default();
    let new = |channel, recipient: String| {
        NewNotification::for_order(order.id, occasion, event, channel, recipient, prefs.locale)
            .customer(Some(customer_id))
    };
    let mut planned = Vec::new();
    for channel in channels {
        match channel {
            Channel::Email => {
                if let Some(email) = order.contact_email.clone().or_else(|| customer.email.clone()) {
                    planned.push(new(Channel::Email, email));
                }
            }
            Channel::Sms => {
                if let Some(phone) = customer.verified_phone() {
                    let row = new(Channel::Sms, phone.to_owned());
                    planned.push(match quiet_until {
                        Some(at) => row.not_before(at),
                        None => row,
                    });
                }
            }
            Channel::Push => {
                for device in DeviceToken::active_for(conn, customer_id).await? {
                    let row = new(Channel::Push, device.id.to_string()).device(device.id);
                    planned.push(match quiet_until {
                        Some(at) => row.not_before(at),
                        None => row,
                    });
                }
            }
        }
    }
    Ok(planned)
}

fn plan_for_guest(order: &Order, event: NotificationEvent, occasion: &str) -> Vec<NewNotification> {
    let mut planned = Vec::new();
    if let Some(email) = &order.contact_email {
        planned.push(NewNotification::for_order(
            order.id,
            occasion,
            event,
            Channel::Email,
            email.clone(),
            order.locale,
        ));
    }
    if let Some(phone) = &order.contact_phone {
        if DEFAULT_SMS_EVENTS.contains(&event) || event == NotificationEvent::Custom {
            planned.push(NewNotification::for_order(
                order.id,
                occasion,
                event,
                Channel::Sms,
                phone.clone(),
                order.locale,
            ));
        }
    }
    planned
}
