//! What a customer wants to hear about, where, and when not.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::{Channel, NotificationEvent};

/// Channels per event.
pub type ChannelMap = BTreeMap<NotificationEvent, BTreeSet<Channel>>;

/// SMS goes only to these events unless the customer says otherwise: the
/// ones worth an interruption.
pub const DEFAULT_SMS_EVENTS: &[NotificationEvent] = &[
    NotificationEvent::OutForDelivery,
    NotificationEvent::Delayed,
    NotificationEvent::DeliveryException,
    NotificationEvent::ActionNeeded,
];

/// The defaults a new customer gets: email and push for every event; SMS is
/// added for `DEFAULT_SMS_EVENTS` once the phone is verified.
pub fn default_channels(phone_verified: bool) -> ChannelMap {
    NotificationEvent::ALL
        .iter()
        .filter(|e| e.is_preference())
        .map(|&event| {
            let mut channels: BTreeSet<Channel> = [Channel::Email, Channel::Push].into();
            if phone_verified && DEFAULT_SMS_EVENTS.contains(&event) {
                channels.insert(Channel::Sms);
            }
            (event, channels)
        })
        .collect()
}

/// A local daily window, e.g. 22:00–07:00 (crosses midnight) or 13:00–14:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// If `now` falls inside the window in `tz`, the instant it ends.
    pub fn ends_after(&self, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        if self.start == self.end {
            return None;
        }
        let local = now.with_timezone(&tz);
        let time = local.time();
        let inside = if self.start < self.end {
            time >= self.start && time < self.end
        } else {
            time >= self.start || time < self.end
        };
        if !inside {
            return None;
        }
        let mut day = local.date_naive();
        if time >= self.end && self.start > self.end {
            day = day.succ_opt()?;
        }
        // A DST gap at the end time: take the first valid instant after it.
        let end = day.and_time(self.end);
        tz.from_local_datetime(&end)
            .earliest()
            .or_else(|| tz.from_local_datetime(&(end + chrono::Duration::hours(1))).earliest())
            .map(|t| t.with_timezone(&Utc))
    }
}

pub fn parse_time_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn window(start: &str, end: &str) -> QuietHours {
        QuietHours { start: start.parse().unwrap(), end: end.parse().unwrap() }
    }

    #[test]
    fn a_window_across_midnight_holds_until_the_morning() {
        let madrid: Tz = "Europe/Madrid".parse().unwrap();
        let night = window("22:00:00", "07:00:00");
        // 23:30 in Madrid (UTC+1 in November) -> 07:00 next morning local = 06:00Z.
        assert_eq!(night.ends_after(at("2026-11-25T22:30:00Z"), madrid), Some(at("2026-11-26T06:00:00Z")));
        // 03:00 local -> 07:00 the same morning.
        assert_eq!(night.ends_after(at("2026-11-26T02:00:00Z"), madrid), Some(at("2026-11-26T06:00:00Z")));
        // 12:00 local: not quiet.
        assert_eq!(night.ends_after(at("2026-11-26T11:00:00Z"), madrid), None);
        // The end is exclusive, the start inclusive.
        assert_eq!(night.ends_after(at("2026-11-26T06:00:00Z"), madrid), None);
        assert!(night.ends_after(at("2026-11-25T21:00:00Z"), madrid).is_some());
    }

    #[test]
    fn a_daytime_window_and_an_empty_one() {
        let utc: Tz = "UTC".parse().unwrap();
        let lunch = window("13:00:00", "14:00:00");
        assert_eq!(lunch.ends_after(at("2026-11-25T13:15:00Z"), utc), Some(at("2026-11-25T14:00:00Z")));
        assert_eq!(lunch.ends_after(at("2026-11-25T14:15:00Z"), utc), None);
        assert_eq!(window("09:00:00", "09:00:00").ends_after(at("2026-11-25T09:00:00Z"), utc), None);
    }

    #[test]
    fn quiet_hours_follow_daylight_saving() {
        let new_york: Tz = "America/New_York".parse().unwrap();
        let night = window("22:00:00", "07:00:00");
        // 2026-03-08 is the spring-forward night: 07:00 EDT = 11:00Z.
        assert_eq!(night.ends_after(at("2026-03-08T05:00:00Z"), new_york), Some(at("2026-03-08T11:00:00Z")));
    }

    #[test]
    fn defaults_add_sms_only_for_a_verified_phone_and_key_events() {
        let without = default_channels(false);
        assert!(without.values().all(|c| !c.contains(&Channel::Sms)));
        assert!(!without.contains_key(&NotificationEvent::VerificationCode));
        let with = default_channels(true);
        assert!(with[&NotificationEvent::DeliveryException].contains(&Channel::Sms));
        assert!(!with[&NotificationEvent::OrderConfirmed].contains(&Channel::Sms));
        assert!(with.values().all(|c| c.contains(&Channel::Email)));
    }
}
