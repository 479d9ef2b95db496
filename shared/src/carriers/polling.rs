//! How often to ask a carrier about a parcel, by what we know of it.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::carriers::TrackingStatus;

/// After this long without news a parcel is no longer polled.
pub const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::days(30);
/// Webhooks quieter than this are treated as broken for the parcel.
pub const WEBHOOK_SILENCE: chrono::Duration = chrono::Duration::hours(24);

/// The wait before the next poll, or `None` when polling should stop
/// (final status, or a month without news). A parcel whose webhooks went
/// silent is polled twice as often.
pub fn next_poll_in(
    status: TrackingStatus,
    last_news: DateTime<Utc>,
    last_webhook: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    if status.is_final() || now - last_news > GIVE_UP_AFTER {
        return None;
    }
    let minutes = match status {
        TrackingStatus::OutForDelivery => 30,
        TrackingStatus::Exception | TrackingStatus::FailedAttempt => 120,
        TrackingStatus::InTransit | TrackingStatus::AvailableForPickup => 240,
        TrackingStatus::PreTransit => 720,
        _ => 360,
    };
    let silent = last_webhook.is_none_or(|at| now - at > WEBHOOK_SILENCE);
    let minutes = if silent { minutes / 2 } else { minutes };
    Some(Duration::from_secs(minutes * 60))
}

/// Backoff after failed polls: 5 minutes doubling, at most 6 hours.
pub fn poll_backoff(failures: i32) -> Duration {
    let exponent = failures.clamp(0, 10) as u32;
    Duration::from_secs((300u64 << exponent).min(6 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours_ago: i64) -> DateTime<Utc> {
        Utc::now() - chrono::Duration::hours(hours_ago)
    }

    #[test]
    fn the_interval_follows_the_parcel() {
        let now = Utc::now();
        let fresh_hook = Some(at(1));
        let minutes = |s| next_poll_in(s, at(1), fresh_hook, now).map(|d| d.as_secs() / 60);
        assert_eq!(minutes(TrackingStatus::OutForDelivery), Some(30));
        assert_eq!(minutes(TrackingStatus::InTransit), Some(240));
        assert_eq!(minutes(TrackingStatus::PreTransit), Some(720));
        assert_eq!(minutes(TrackingStatus::Exception), Some(120));
        assert_eq!(minutes(TrackingStatus::Delivered), None);
        assert_eq!(minutes(TrackingStatus::ReturnToSender), None);
    }

    #[test]
    fn silent_webhooks_poll_sooner_and_old_parcels_stop() {
        let now = Utc::now();
        let quiet = next_poll_in(TrackingStatus::InTransit, at(1), Some(at(48)), now).unwrap();
        let never = next_poll_in(TrackingStatus::InTransit, at(1), None, now).unwrap();
        assert_eq!(quiet.as_secs() / 60, 120);
        assert_eq!(never, quiet);
        assert_eq!(next_poll_in(TrackingStatus::InTransit, at(31 * 24), None, now), None);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(poll_backoff(0).as_secs(), 300);
        assert_eq!(poll_backoff(1).as_secs(), 600);
        assert_eq!(poll_backoff(20).as_secs(), 6 * 3600);
    }
}
