use std::time::Duration;

use ordertrack_shared::config::{self, ConfigError, StoreConfig};

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    pub store: StoreConfig,
    /// Cron (6 fields, seconds first) for the outbox sweep.
    pub sweep_schedule: String,
    /// How long a won tick stays claimed; longer than any clock skew between schedulers.
    pub tick_lease: Duration,
}

impl SchedulerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let sweep_schedule = config::string("SWEEP_SCHEDULE", "*/10 * * * * *");
        crate::schedules::parse(&sweep_schedule)
            .map_err(|e| ConfigError::Invalid { name: "SWEEP_SCHEDULE", reason: e.to_string() })?;
        Ok(SchedulerConfig {
            store: StoreConfig::from_env()?,
            sweep_schedule,
            tick_lease: config::millis("SCHEDULER_TICK_LEASE_MS", 3_600_000)?,
        })
    }
}
