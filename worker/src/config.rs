use std::path::PathBuf;
use std::time::Duration;

use ordertrack_shared::channels::push::PushConfig;
use ordertrack_shared::channels::sms::SmsConfig;
use ordertrack_shared::channels::EmailConfig;
use ordertrack_shared::config::{self, ConfigError, StoreConfig};
use ordertrack_shared::jobs::Queue;
use ordertrack_shared::templates::DEFAULT_TEMPLATES_DIR;

/// The worker process's settings, from the environment (and `--queues`).
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub store: StoreConfig,
    /// Queues this process serves; default: all of them.
    pub queues: Vec<Queue>,
    /// Unique per replica; a random suffix is added.
    pub name: String,
    /// Concurrent jobs per queue.
    pub concurrency_critical: usize,
    pub concurrency_normal: usize,
    pub concurrency_bulk: usize,
    pub concurrency_maintenance: usize,
    /// How often an idle worker asks Redis for jobs.
    pub poll_interval: Duration,
    /// Delivery attempts before a notification is dead-lettered.
    pub max_attempts: i32,
    /// Exponential backoff: base delay, doubled per attempt, capped, with full jitter.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// How long a claimed notification stays ours before the sweeper frees it.
    pub claim_lease: Duration,
    /// Pending notifications older than this are re-enqueued by the sweeper.
    pub sweep_grace: Duration,
    pub sweep_batch: i64,
    pub email: EmailConfig,
    pub sms: SmsConfig,
    pub push: PushConfig,
    /// Signs unsubscribe links (`APP_SECRET`, shared with the api).
    pub app_secret: String,
    pub templates_dir: PathBuf,
    pub public_base_url: String,
    /// Port of this worker's /metrics; 0 picks one, unset disables.
    pub metrics_port: Option<u16>,
}

impl WorkerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let queues = match config::optional("WORKER_QUEUES") {
            None => Queue::ALL.to_vec(),
            Some(list) => {
                parse_queues(&list).map_err(|reason| ConfigError::Invalid { name: "WORKER_QUEUES", reason })?
            }
        };
        let max_attempts: i32 = config::positive("NOTIFY_MAX_ATTEMPTS", 5)?;
        let public_base_url = config::string("PUBLIC_BASE_URL", "http://localhost:8080");
        Ok(WorkerConfig {
            store: StoreConfig::from_env()?,
            queues,
            name: config::string("WORKER_NAME", "worker"),
            concurrency_critical: config::positive("WORKER_CONCURRENCY_CRITICAL", 8)?,
            concurrency_normal: config::positive("WORKER_CONCURRENCY", 16)?,
            concurrency_bulk: config::positive("WORKER_CONCURRENCY_BULK", 4)?,
            concurrency_maintenance: config::positive("WORKER_CONCURRENCY_MAINTENANCE", 2)?,
            poll_interval: config::millis("WORKER_POLL_INTERVAL_MS", 100)?,
            max_attempts,
            retry_base: config::millis("RETRY_BASE_MS", 2_000)?,
            retry_max: config::millis("RETRY_MAX_MS", 600_000)?,
            claim_lease: config::millis("CLAIM_LEASE_MS", 300_000)?,
            sweep_grace: config::millis("SWEEP_GRACE_MS", 30_000)?,
            sweep_batch: config::positive("SWEEP_BATCH", 500)?,
            email: EmailConfig::from_env()?,
            sms: SmsConfig::from_env(&public_base_url)?,
            push: PushConfig::from_env()?,
            app_secret: config::app_secret()?,
            templates_dir: config::string("TEMPLATES_DIR", DEFAULT_TEMPLATES_DIR).into(),
            public_base_url,
            metrics_port: config::optional("WORKER_METRICS_PORT")
                .map(|p| {
                    p.parse().map_err(|e| ConfigError::Invalid { name: "WORKER_METRICS_PORT", reason: format!("{e}") })
                })
                .transpose()?,
        })
    }

    pub fn concurrency(&self, queue: Queue) -> usize {
        match queue {
            Queue::NotificationsCritical => self.concurrency_critical,
            Queue::NotificationsBulk => self.concurrency_bulk,
            Queue::Maintenance => self.concurrency_maintenance,
            _ => self.concurrency_normal,
        }
    }
}

/// `notifications-critical,maintenance` -> the queues, refusing unknown names.
pub fn parse_queues(list: &str) -> Result<Vec<Queue>, String> {
    let queues = list
        .split(',')
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| q.parse::<Queue>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    if queues.is_empty() {
        return Err("no queue named".into());
    }
    Ok(queues)
}
