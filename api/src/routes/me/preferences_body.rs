//! The preferences document, as read and written by customers.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveTime;
use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::models::{Customer, Preferences};
use ordertrack_shared::notify::preferences::{parse_time_zone, ChannelMap, QuietHours};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::errors::ApiError;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuietHoursBody {
    /// Local time, "HH:MM".
    pub start: String,
    pub end: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhoneView {
    pub number: Option<String>,
    pub verified: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesView {
    pub locale: Locale,
    /// IANA name, e.g. "Europe/Madrid".
    pub time_zone: String,
    /// SMS and push wait until the window ends; critical events do not.
    pub quiet_hours: Option<QuietHoursBody>,
    /// Channels per event.
    #[schema(value_type = Object)]
    pub channels: BTreeMap<NotificationEvent, BTreeSet<Channel>>,
    pub phone: PhoneView,
    /// Channels turned off by a one-click unsubscribe.
    pub opted_out: Vec<Channel>,
}

impl PreferencesView {
    pub fn new(prefs: &Preferences, customer: &Customer, opted_out: Vec<Channel>) -> Self {
        PreferencesView {
            locale: prefs.locale,
            time_zone: prefs.time_zone.clone(),
            quiet_hours: prefs.quiet_hours.map(|q| QuietHoursBody {
                start: q.start.format("%H:%M").to_string(),
                end: q.end.format("%H:%M").to_string(),
            }),
            channels: prefs.channels.clone(),
            phone: PhoneView { number: customer.phone.clone(), verified: customer.phone_verified_at.is_some() },
            opted_out,
        }
    }
}

/// A full replacement of the preferences. Events missing from `channels`
/// get no channels.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutPreferencesRequest {
    pub locale: String,
    pub time_zone: String,
    pub quiet_hours: Option<QuietHoursBody>,
    /// `{"order_shipped": ["email", "push"], ...}`
    #[schema(value_type = Object)]
    pub channels: Value,
}

fn time(field: &str, value: &str) -> Result<NaiveTime, ApiError> {
    NaiveTime::parse_from_str(value, "%H:%M").map_err(|_| ApiError::invalid(field, format!("{field} must be HH:MM")))
}

fn channels(value: &Value, phone_verified: bool) -> Result<ChannelMap, ApiError> {
    let map = value
        .as_object()
        .ok_or_else(|| ApiError::invalid("channels", "channels must be an object of event: [channel]"))?;
    let mut channels: ChannelMap =
        NotificationEvent::ALL.iter().filter(|e| e.is_preference()).map(|e| (*e, BTreeSet::new())).collect();
    for (key, list) in map {
        let field = format!("channels.{key}");
        let event: NotificationEvent =
            key.parse().map_err(|e: ordertrack_shared::domain::text_enum::UnknownValue| {
                ApiError::invalid(&field, e.to_string())
            })?;
        if !event.is_preference() {
            return Err(ApiError::invalid(&field, format!("{event} is not a preference")));
        }
        let list = list.as_array().ok_or_else(|| ApiError::invalid(&field, "expected a list of channels"))?;
        let mut set = BTreeSet::new();
        for (i, item) in list.iter().enumerate() {
            let item_field = format!("{field}[{i}]");
            let name = item.as_str().ok_or_else(|| ApiError::invalid(&item_field, "expected a channel name"))?;
            let channel: Channel = name.parse().map_err(|e: ordertrack_shared::domain::text_enum::UnknownValue| {
                ApiError::invalid(&item_field, e.to_string())
            })?;
            if channel == Channel::Sms && !phone_verified {
                return Err(ApiError::invalid(&item_field, "verify a phone number before turning SMS on"));
            }
            set.insert(channel);
        }
        channels.insert(event, set);
    }
    Ok(channels)
}

impl PutPreferencesRequest {
    pub fn validate(&self, customer: &Customer) -> Result<Preferences, ApiError> {
        let locale = Locale::from_tag(&self.locale).ok_or_else(|| {
            ApiError::invalid("locale", format!("unsupported locale '{}': use en, es, ro or ru", self.locale))
        })?;
        parse_time_zone(&self.time_zone).ok_or_else(|| {
            ApiError::invalid(
                "time_zone",
                format!("unknown time zone '{}': use an IANA name like Europe/Madrid", self.time_zone),
            )
        })?;
        let quiet_hours = match &self.quiet_hours {
            Some(q) => {
                let (start, end) = (time("quiet_hours.start", &q.start)?, time("quiet_hours.end", &q.end)?);
                if start == end {
                    return Err(ApiError::invalid(
                        "quiet_hours.end",
                        "quiet hours must not start and end at the same time",
                    ));
                }
                Some(QuietHours { start, end })
            }
            None => None,
        };
        Ok(Preferences {
            customer_id: customer.id,
            locale,
            time_zone: self.time_zone.clone(),
            quiet_hours,
            channels: channels(&self.channels, customer.phone_verified_at.is_some())?,
            updated_at: chrono::Utc::now(),
        })
    }
}
