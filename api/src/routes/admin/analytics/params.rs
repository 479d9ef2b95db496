//! The range, interval and grouping every analytics read and export takes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ordertrack_shared::analytics::report::{Interval, Range};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::errors::ApiError;

/// Points a series may hold: a year of days, six weeks of hours.
pub const MAX_POINTS: i64 = 1_000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsQuery {
    /// Start, inclusive: RFC 3339, or a date (UTC midnight). Default: 7 days before `to`.
    pub from: Option<String>,
    /// End, exclusive: RFC 3339, or a date (UTC midnight). Default: now.
    pub to: Option<String>,
    /// `hour`, `day` (default) or `week`.
    pub interval: Option<String>,
    /// Dimensions to group by, comma-separated (each endpoint lists its own).
    pub group_by: Option<String>,
}

/// Reads `2026-03-01T10:00:00Z` or `2026-03-01`.
pub fn instant(field: &str, text: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map(|day| ordertrack_shared::analytics::day_bounds(day).0).map_err(
        |_| ApiError::invalid(field, format!("{field} must be RFC 3339 (2026-03-01T10:00:00Z) or a date (2026-03-01)")),
    )
}

impl AnalyticsQuery {
    /// The validated range: `from` before `to`, at most [`MAX_POINTS`] points.
    pub fn range(&self, now: DateTime<Utc>) -> Result<Range, ApiError> {
        let interval = match self.interval.as_deref() {
            None => Interval::Day,
            Some(text) => text.parse().map_err(|_| ApiError::invalid("interval", "interval is hour, day or week"))?,
        };
        let to = self.to.as_deref().map(|t| instant("to", t)).transpose()?.unwrap_or(now);
        let from = self.from.as_deref().map(|f| instant("from", f)).transpose()?.unwrap_or(to - Duration::days(7));
        if from >= to {
            return Err(ApiError::invalid("from", "from must be before to"));
        }
        let width = match interval {
            Interval::Hour => Duration::hours(1),
            Interval::Day => Duration::days(1),
            Interval::Week => Duration::weeks(1),
        };
        let points = (to - from).num_seconds() / width.num_seconds();
        if points > MAX_POINTS {
            return Err(ApiError::invalid(
                "interval",
                format!("from..to is {points} {interval}s: at most {MAX_POINTS} points (use a wider interval)"),
            ));
        }
        Ok(Range { from, to, interval })
    }

    /// The dimensions asked for, each one of `allowed`.
    pub fn group_by(&self, allowed: &[&str]) -> Result<Vec<String>, ApiError> {
        let Some(text) = self.group_by.as_deref().filter(|t| !t.trim().is_empty()) else {
            return Ok(Vec::new());
        };
        let mut groups = Vec::new();
        for name in text.split(',').map(str::trim) {
            if !allowed.contains(&name) {
                return Err(ApiError::invalid("group_by", format!("group_by takes {}", allowed.join(", "))));
            }
            if !groups.iter().any(|g| g == name) {
                groups.push(name.to_owned());
            }
        }
        Ok(groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: Option<&str>, to: Option<&str>, interval: Option<&str>) -> AnalyticsQuery {
        AnalyticsQuery {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            interval: interval.map(str::to_owned),
            group_by: None,
        }
    }

    #[test]
    fn a_range_is_bounded_ordered_and_named_in_its_errors() {
        let now = DateTime::parse_from_rfc3339("2026-03-08T12:00:00Z").unwrap().with_timezone(&Utc);
        let week = query(None, None, None).range(now).unwrap();
        assert_eq!((week.to - week.from, week.interval), (Duration::days(7), Interval::Day));
        let dates = query(Some("2026-01-01"), Some("2026-02-01"), Some("hour")).range(now).unwrap();
        assert_eq!(dates.to - dates.from, Duration::days(31));
        let too_many = query(Some("2025-01-01"), Some("2026-01-01"), Some("hour")).range(now).unwrap_err();
        assert!(too_many.to_string().contains("8760 hours"), "{too_many}");
        assert!(query(Some("2026-02-01"), Some("2026-01-01"), None)
            .range(now)
            .unwrap_err()
            .to_string()
            .contains("before"));
        assert!(query(Some("yesterday"), None, None).range(now).unwrap_err().to_string().contains("from must be"));
        assert!(query(None, None, Some("month")).range(now).is_err());
        let groups = AnalyticsQuery { group_by: Some("channel, carrier,channel".into()), ..query(None, None, None) };
        assert_eq!(groups.group_by(&["channel", "carrier"]).unwrap(), ["channel", "carrier"]);
        assert!(groups.group_by(&["channel"]).is_err());
    }
}
