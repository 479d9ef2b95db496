use std::time::Duration;

use ordertrack_shared::config::{self, ConfigError, StoreConfig};
use ordertrack_shared::jobs::recurring::{Recurring, RECURRING};

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    pub store: StoreConfig,
    /// The recurring jobs that are on, each with its cron expression (6
    /// fields, seconds first), from the registry and its variables.
    pub schedules: Vec<(&'static Recurring, String)>,
    /// How long a won tick stays claimed; longer than any clock skew between schedulers.
    pub tick_lease: Duration,
}

impl SchedulerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut schedules = Vec::new();
        for recurring in RECURRING {
            let value = config::string(recurring.env, recurring.default_schedule);
            if value == "off" || value.is_empty() {
                continue;
            }
            crate::schedules::parse(&value)
                .map_err(|e| ConfigError::Invalid { name: recurring.env, reason: e.to_string() })?;
            schedules.push((recurring, value));
        }
        Ok(SchedulerConfig {
            store: StoreConfig::from_env()?,
            schedules,
            tick_lease: config::millis("SCHEDULER_TICK_LEASE_MS", 3_600_000)?,
        })
    }
}
