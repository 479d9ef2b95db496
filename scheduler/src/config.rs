use std::time::Duration;

use ordertrack_shared::config::{self, ConfigError, StoreConfig};

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    pub store: StoreConfig,
    /// Cron expressions (6 fields, seconds first); an empty one is off.
    pub sweep_schedule: String,
    pub poll_schedule: String,
    pub delay_schedule: String,
    pub vacuum_schedule: String,
    /// The simulated carrier of the local run (off unless set).
    pub simulator_schedule: String,
    /// How long a won tick stays claimed; longer than any clock skew between schedulers.
    pub tick_lease: Duration,
}

impl SchedulerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let schedule = |name: &'static str, default: &str| -> Result<String, ConfigError> {
            let value = config::string(name, default);
            if value != "off" && !value.is_empty() {
                crate::schedules::parse(&value).map_err(|e| ConfigError::Invalid { name, reason: e.to_string() })?;
            }
            Ok(if value == "off" { String::new() } else { value })
        };
        Ok(SchedulerConfig {
            store: StoreConfig::from_env()?,
            sweep_schedule: schedule("SWEEP_SCHEDULE", "*/10 * * * * *")?,
            poll_schedule: schedule("POLL_SCHEDULE", "0 * * * * *")?,
            delay_schedule: schedule("DELAY_SCHEDULE", "30 */5 * * * *")?,
            vacuum_schedule: schedule("VACUUM_SCHEDULE", "0 17 * * * *")?,
            simulator_schedule: schedule("SIMULATOR_SCHEDULE", "off")?,
            tick_lease: config::millis("SCHEDULER_TICK_LEASE_MS", 3_600_000)?,
        })
    }
}
