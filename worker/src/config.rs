use std::path::PathBuf;
use std::time::Duration;

use ordertrack_shared::carriers::{CarrierCredentials, TrackingStatus};
use ordertrack_shared::channels::push::PushConfig;
use ordertrack_shared::channels::sms::SmsConfig;
use ordertrack_shared::channels::EmailConfig;
use ordertrack_shared::config::{self, ConfigError, StoreConfig};
use ordertrack_shared::domain::Carrier;
use ordertrack_shared::jobs::Queue;
use ordertrack_shared::templates::DEFAULT_TEMPLATES_DIR;

/// Jobs fetched ahead per unit of concurrency, as Celery's default prefetch
/// multiplier: a fetch of 10 (apalis' default) kept 16 slots waiting on Redis
/// (bench/queue: 23-27k no-op jobs/s at 10, 38-44k at 64). A replica that
/// stops hands its unstarted jobs back; one that dies, at its orphan check.
pub const PREFETCH_PER_SLOT: usize = 4;

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
    /// `notifications`, the order lifecycle sends. Higher than the others'
    /// default: a send holds no connection while the provider answers, and
    /// the sends in flight are what `send_batches` groups into one claim and
    /// one record (at 16, 3.5 sends a statement; at 64, 12).
    pub concurrency_notifications: usize,
    /// The carrier queues (`carrier-events`, `carrier-polls`), whose jobs
    /// each hold a connection.
    pub concurrency_normal: usize,
    pub concurrency_bulk: usize,
    pub concurrency_maintenance: usize,
    /// How often an idle worker asks Redis for jobs.
    pub poll_interval: Duration,
    /// Jobs apalis takes from Redis per fetch (`WORKER_FETCH_BATCH`); `None`:
    /// [`PREFETCH_PER_SLOT`] times the queue's concurrency.
    pub fetch_batch: Option<usize>,
    /// apalis heartbeat; also the longest a missed poll can delay a job.
    pub heartbeat: Duration,
    /// Delivery attempts before a notification is dead-lettered.
    pub max_attempts: i32,
    /// Exponential backoff: base delay, doubled per attempt, capped, with full jitter.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// How long a claimed notification stays ours before the sweeper frees it.
    pub claim_lease: Duration,
    /// How long a worker keeps retrying to record a send's outcome while
    /// Postgres is away.
    pub outcome_retry_for: Duration,
    /// How long a restart or the shutdown waits for running jobs.
    pub shutdown_grace: Duration,
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
    /// Carrier APIs to poll (those with credentials).
    pub carriers: Vec<(Carrier, CarrierCredentials)>,
    pub carrier_timeout: Duration,
    /// Calls per carrier per minute, across every worker.
    pub carrier_rate_per_minute: u32,
    /// Parcels polled per scheduler tick and carrier, at most.
    pub poll_batch_limit: i64,
    /// How long past its estimate a parcel may be before it counts as late.
    pub eta_grace: Duration,
    /// How long a parcel may go without a scan, by status.
    pub no_scan_pre_transit: Duration,
    pub no_scan_in_transit: Duration,
    pub no_scan_out_for_delivery: Duration,
    /// Parcels the delay scan reads per keyset batch (it walks them all).
    pub delay_scan_batch: i64,
    /// How long an Idempotency-Key replays its first response.
    pub idempotency_ttl: Duration,
    /// How long order events stay replayable for live-update clients.
    pub event_retention: Duration,
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
            concurrency_notifications: config::positive("WORKER_CONCURRENCY_NOTIFICATIONS", 64)?,
            concurrency_normal: config::positive("WORKER_CONCURRENCY", 16)?,
            concurrency_bulk: config::positive("WORKER_CONCURRENCY_BULK", 4)?,
            concurrency_maintenance: config::positive("WORKER_CONCURRENCY_MAINTENANCE", 2)?,
            poll_interval: config::millis("WORKER_POLL_INTERVAL_MS", 100)?,
            fetch_batch: config::optional("WORKER_FETCH_BATCH")
                .map(|v| match v.parse() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(ConfigError::Invalid {
                        name: "WORKER_FETCH_BATCH",
                        reason: "must be a positive number".into(),
                    }),
                })
                .transpose()?,
            heartbeat: config::millis("WORKER_HEARTBEAT_MS", 5_000)?,
            max_attempts,
            retry_base: config::millis("RETRY_BASE_MS", 2_000)?,
            retry_max: config::millis("RETRY_MAX_MS", 600_000)?,
            claim_lease: config::millis("CLAIM_LEASE_MS", 300_000)?,
            outcome_retry_for: config::millis("OUTCOME_RETRY_FOR_MS", 600_000)?,
            shutdown_grace: config::millis("SHUTDOWN_GRACE_MS", 25_000)?,
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
            carriers: carrier_credentials()?,
            carrier_timeout: config::millis("CARRIER_TIMEOUT_MS", 15_000)?,
            carrier_rate_per_minute: config::positive("CARRIER_RATE_PER_MINUTE", 60)?,
            poll_batch_limit: config::positive("POLL_BATCH_LIMIT", 300)?,
            eta_grace: config::millis("DELAY_ETA_GRACE_MS", 2 * 3_600_000)?,
            no_scan_pre_transit: config::millis("NO_SCAN_PRE_TRANSIT_MS", 72 * 3_600_000)?,
            no_scan_in_transit: config::millis("NO_SCAN_IN_TRANSIT_MS", 48 * 3_600_000)?,
            no_scan_out_for_delivery: config::millis("NO_SCAN_OUT_FOR_DELIVERY_MS", 12 * 3_600_000)?,
            delay_scan_batch: config::positive("DELAY_SCAN_BATCH", 500)?,
            idempotency_ttl: config::millis("IDEMPOTENCY_TTL_MS", 24 * 3_600_000)?,
            event_retention: Duration::from_secs(86_400 * u64::from(config::positive("EVENT_RETENTION_DAYS", 30u32)?)),
        })
    }

    pub fn no_scan_threshold(&self, status: TrackingStatus) -> Duration {
        match status {
            TrackingStatus::PreTransit | TrackingStatus::Unknown => self.no_scan_pre_transit,
            TrackingStatus::OutForDelivery => self.no_scan_out_for_delivery,
            _ => self.no_scan_in_transit,
        }
    }

    /// How many jobs of `queue` one fetch takes: enough to keep every slot
    /// busy through the fetch's round trip (apalis fetches and acknowledges
    /// one batch at a time).
    pub fn fetch_batch(&self, queue: Queue) -> usize {
        self.fetch_batch.unwrap_or(PREFETCH_PER_SLOT * self.concurrency(queue))
    }

    pub fn concurrency(&self, queue: Queue) -> usize {
        match queue {
            Queue::NotificationsCritical => self.concurrency_critical,
            Queue::Notifications => self.concurrency_notifications,
            Queue::NotificationsBulk => self.concurrency_bulk,
            Queue::Maintenance => self.concurrency_maintenance,
            Queue::CarrierEvents | Queue::CarrierPolls => self.concurrency_normal,
        }
    }
}

/// `FEDEX_CLIENT_ID`/`FEDEX_CLIENT_SECRET` (+ `FEDEX_BASE_URL`), likewise
/// `UPS_*`, and `DHL_API_KEY` (+ `DHL_BASE_URL`): the carriers to poll.
fn carrier_credentials() -> Result<Vec<(Carrier, CarrierCredentials)>, ConfigError> {
    let mut carriers = Vec::new();
    if let Some(client_id) = config::optional("FEDEX_CLIENT_ID") {
        carriers.push((
            Carrier::Fedex,
            CarrierCredentials {
                base_url: config::string("FEDEX_BASE_URL", "https://apis.fedex.com"),
                client_id,
                client_secret: config::required("FEDEX_CLIENT_SECRET")?,
            },
        ));
    }
    if let Some(client_id) = config::optional("UPS_CLIENT_ID") {
        carriers.push((
            Carrier::Ups,
            CarrierCredentials {
                base_url: config::string("UPS_BASE_URL", "https://onlinetools.ups.com"),
                client_id,
                client_secret: config::required("UPS_CLIENT_SECRET")?,
            },
        ));
    }
    if let Some(api_key) = config::optional("DHL_API_KEY") {
        carriers.push((
            Carrier::Dhl,
            CarrierCredentials {
                base_url: config::string("DHL_BASE_URL", "https://api-eu.dhl.com"),
                client_id: api_key,
                client_secret: String::new(),
            },
        ));
    }
    Ok(carriers)
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
