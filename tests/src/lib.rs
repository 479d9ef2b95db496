//! Test harness: each `TestApp` is a whole ordertrack (api on port 0, worker,
//! optionally schedulers) on its own database and Redis namespace, with a
//! real SMTP server on loopback as the mail relay.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod cluster;
pub mod db;
pub mod explain;
pub mod failover;
pub mod live;
pub mod providers;
pub mod sendgrid;
pub mod sentinel;
pub mod smtp_sink;
pub mod timeline;

use std::future::Future;
use std::time::Duration;

use ordertrack_api::config::{ApiConfig, PortalConfig, StaffConfig, StreamConfig, WebhookConfig};
use ordertrack_scheduler::config::SchedulerConfig;
use ordertrack_shared::carriers::CarrierCredentials;
use ordertrack_shared::channels::push::PushConfig;
use ordertrack_shared::channels::sms::SmsConfig;
use ordertrack_shared::channels::{EmailConfig, SmtpTls};
use ordertrack_shared::config::StoreConfig;
use ordertrack_shared::db::DbPool;
use ordertrack_shared::domain::Carrier;
use ordertrack_shared::domain::Role;
use ordertrack_shared::jobs::{recurring, Enqueuer, MaintenanceJob, Queue};
use ordertrack_shared::models::{ApiToken, Customer, Notification, NotificationAttempt};
use ordertrack_shared::redis_endpoint::RedisTopology;
use ordertrack_shared::webhooks::IpAllowlist;
use ordertrack_worker::config::WorkerConfig;
use serde_json::{json, Value};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub use providers::FakeProviders;
pub use smtp_sink::{Refusal, SmtpSink};

pub const REDIS_URL: &str = "redis://127.0.0.1:6379";
/// What links in messages start with (the api is reached at `base_url`).
pub const PUBLIC_BASE_URL: &str = "https://track.example.test";
pub const FEDEX_WEBHOOK_SECRET: &str = "fedex-webhook-test-secret";
pub const UPS_WEBHOOK_CREDENTIAL: &str = "ups-track-alert-credential";
pub const DHL_WEBHOOK_API_KEY: &str = "dhl-push-api-key";
pub const OWN_SIGNING_SECRET: &str = "current-signing-secret";
pub const APP_SECRET: &str = "test-app-secret-that-is-long-enough-0123456789";

/// Nothing listens here: a Redis that is down.
pub const DEAD_REDIS_URL: &str = "redis://127.0.0.1:1";

/// What to start and how.
#[derive(Clone)]
pub struct Options {
    /// The Redis the api enqueues to (the worker uses `redis_url`).
    pub api_redis_url: String,
    pub worker: bool,
    pub schedulers: usize,
    pub max_attempts: i32,
    pub sweep_grace: Duration,
    pub tracking_rate_per_minute: u32,
    pub queues: Vec<Queue>,
    pub phone_code_ttl: Duration,
    pub phone_code_cooldown: Duration,
    pub webhook_allowlists: Vec<(Carrier, IpAllowlist)>,
    pub carrier_rate_per_minute: u32,
    pub token_rate_per_minute: u32,
    /// CIDRs whose X-Forwarded-For the api believes.
    pub trusted_proxies: String,
    /// How long a parcel may go without a scan (every status).
    pub no_scan: Duration,
    /// How long the api waits for Redis when it enqueues (a push that times
    /// out is left to the outbox sweeper). Generous by default, so a loaded
    /// machine never loses a job; short where Redis is meant to be down.
    pub enqueue_timeout: Duration,
    /// SSE heartbeat / WebSocket ping interval.
    pub stream_heartbeat: Duration,
    /// Concurrent live-update streams per token.
    pub stream_max_per_principal: usize,
    /// The Redis of the worker, the schedulers and this harness (`None`:
    /// `REDIS_URL`); a test with a Redis of its own sets `api_redis_url` too.
    pub redis_url: Option<String>,
    /// Every process (and this harness) reaches Redis this way; with
    /// Sentinel or Cluster, `redis_url` and `api_redis_url` only lend their
    /// credentials (see `sentinel::SentinelSet`, `cluster::RedisCluster`).
    pub redis_topology: RedisTopology,
    /// How long a web app sign-in link stays valid.
    pub portal_link_ttl: Duration,
    /// How long a web app session lasts unused.
    pub portal_session_idle: Duration,
    /// How long a console session lasts unused.
    pub staff_session_idle: Duration,
    /// `STAFF_REQUIRE_TOTP`.
    pub staff_require_totp: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            api_redis_url: REDIS_URL.into(),
            worker: true,
            schedulers: 0,
            max_attempts: 3,
            sweep_grace: Duration::from_secs(600),
            tracking_rate_per_minute: 1000,
            queues: Queue::ALL.to_vec(),
            phone_code_ttl: Duration::from_secs(600),
            phone_code_cooldown: Duration::from_millis(300),
            webhook_allowlists: Vec::new(),
            carrier_rate_per_minute: 1000,
            token_rate_per_minute: 100_000,
            trusted_proxies: String::new(),
            no_scan: Duration::from_secs(7 * 24 * 3600),
            enqueue_timeout: Duration::from_secs(5),
            stream_heartbeat: Duration::from_secs(15),
            stream_max_per_principal: 20,
            redis_url: None,
            redis_topology: RedisTopology::Single,
            portal_link_ttl: Duration::from_secs(300),
            portal_session_idle: Duration::from_secs(1800),
            staff_session_idle: Duration::from_secs(1800),
            staff_require_totp: false,
        }
    }
}

pub struct TestApp {
    pub base_url: String,
    pub database: String,
    pub database_url: String,
    pub db: DbPool,
    pub namespace: String,
    /// The Redis of the worker and the schedulers (`Options::redis_url`).
    pub redis_url: String,
    /// `Options::redis_topology`.
    pub redis_topology: RedisTopology,
    pub smtp: SmtpSink,
    pub providers: FakeProviders,
    pub http: reqwest::Client,
    pub admin_token: String,
    pub csr_token: String,
    pub service_token: String,
    pub worker_config: WorkerConfig,
    pub api_config: ApiConfig,
    api: ordertrack_api::ApiHandle,
    replicas: std::sync::Mutex<Vec<ordertrack_api::ApiHandle>>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

fn store(database_url: &str, redis_url: &str, topology: &RedisTopology, namespace: &str) -> StoreConfig {
    StoreConfig {
        database_url: database_url.into(),
        database_pool_size: 8,
        redis_url: redis_url.into(),
        redis_topology: topology.clone(),
        redis_namespace: namespace.into(),
        cache_ttl: Duration::from_secs(60),
        ops_metrics_interval: Duration::from_millis(200),
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> TestApp {
        ordertrack_shared::telemetry::init("off");
        let (database, database_url) = db::create().await;
        let namespace = format!("test-{}", Uuid::new_v4().simple());
        let redis_url = options.redis_url.clone().unwrap_or_else(|| REDIS_URL.to_owned());
        let smtp = SmtpSink::start().await;
        let providers = FakeProviders::start().await;

        let api_config = ApiConfig {
            store: store(&database_url, &options.api_redis_url, &options.redis_topology, &namespace),
            host: "127.0.0.1".into(),
            port: 0,
            workers: 1,
            max_body_bytes: 16 * 1024,
            enqueue_timeout: options.enqueue_timeout,
            public_base_url: PUBLIC_BASE_URL.into(),
            tracking_rate_per_minute: options.tracking_rate_per_minute,
            app_secret: APP_SECRET.into(),
            twilio_auth_token: Some(providers::TWILIO_TOKEN.into()),
            phone_code_ttl: options.phone_code_ttl,
            phone_code_cooldown: options.phone_code_cooldown,
            phone_code_max_attempts: 5,
            webhook_rate_per_minute: 100_000,
            token_rate_per_minute: options.token_rate_per_minute,
            auth_failure_rate_per_minute: 100_000,
            unsubscribe_rate_per_minute: 1000,
            message_link_rate_per_minute: 1000,
            machine_open_ranges: Default::default(),
            sendgrid_webhook_key: Some(
                ordertrack_shared::webhooks::sendgrid::SendgridKey::parse(&sendgrid::public_key()).expect("key"),
            ),
            rate_limits_enabled: true,
            phone_code_rate_per_minute: 1000,
            webhooks: WebhookConfig {
                max_body_bytes: 64 * 1024,
                fedex_secret: Some(FEDEX_WEBHOOK_SECRET.into()),
                ups_credential: Some(UPS_WEBHOOK_CREDENTIAL.into()),
                dhl_api_key: Some(DHL_WEBHOOK_API_KEY.into()),
                signing_secrets: vec!["old-signing-secret".into(), OWN_SIGNING_SECRET.into()],
                signature_tolerance_secs: 300,
                allowlists: options.webhook_allowlists.clone(),
                trusted_proxies: IpAllowlist::parse(&options.trusted_proxies).unwrap(),
            },
            reschedule_window_days: 14,
            templates_dir: ordertrack_shared::templates::DEFAULT_TEMPLATES_DIR.into(),
            stream: StreamConfig {
                heartbeat: options.stream_heartbeat,
                poll_interval: Duration::from_millis(200),
                // Every pass that moved events vacuums: the path runs in every test.
                inbox_vacuum_after: 1,
                max_per_principal: options.stream_max_per_principal,
                max_per_ip: 1_000,
                max_total: 15_000,
                client_buffer: 256,
                allowed_origins: vec![PUBLIC_BASE_URL.into()],
            },
            secure_cookies: false,
            portal: PortalConfig {
                link_ttl: options.portal_link_ttl,
                session_idle: options.portal_session_idle,
                session_max: Duration::from_secs(3600),
            },
            staff: StaffConfig {
                session_idle: options.staff_session_idle,
                session_max: Duration::from_secs(12 * 3600),
                require_totp: options.staff_require_totp,
                lockout_after: 5,
                lockout_for: Duration::from_secs(900),
                sign_in_rate_per_minute: 1000,
                password_link_ttl: Duration::from_secs(3600),
            },
        };
        let running = ordertrack_api::start(api_config.clone()).expect("start api");
        let api = running.handle.clone();
        let mut tasks = vec![tokio::spawn(async move {
            let _ = running.server.await;
        })];
        let base_url = format!("http://127.0.0.1:{}", running.port);

        let worker_config = WorkerConfig {
            store: store(&database_url, &redis_url, &options.redis_topology, &namespace),
            queues: options.queues.clone(),
            name: "test-worker".into(),
            concurrency_critical: 4,
            concurrency_notifications: 4,
            concurrency_normal: 4,
            concurrency_bulk: 2,
            concurrency_maintenance: 1,
            poll_interval: Duration::from_millis(20),
            fetch_batch: None,
            heartbeat: Duration::from_millis(500),
            max_attempts: options.max_attempts,
            retry_base: Duration::from_millis(20),
            retry_max: Duration::from_millis(200),
            claim_lease: Duration::from_secs(30),
            outcome_retry_for: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
            sweep_grace: options.sweep_grace,
            sweep_batch: 100,
            email: EmailConfig::Smtp {
                host: "127.0.0.1".into(),
                port: smtp.port,
                tls: SmtpTls::None,
                username: None,
                password: None,
                timeout: Duration::from_secs(5),
                from: "ordertrack <no-reply@ordertrack.test>".into(),
            },
            sms: SmsConfig::Twilio {
                base_url: providers.twilio.uri(),
                account_sid: providers::TWILIO_SID.into(),
                auth_token: providers::TWILIO_TOKEN.into(),
                from: providers::TWILIO_FROM.into(),
                status_callback: Some(format!("{PUBLIC_BASE_URL}/webhooks/twilio/status")),
                timeout: Duration::from_secs(5),
            },
            push: PushConfig::Fcm {
                base_url: providers.fcm.uri(),
                project_id: providers::FCM_PROJECT.into(),
                service_account_file: providers.service_account_file.clone(),
                timeout: Duration::from_secs(5),
            },
            app_secret: APP_SECRET.into(),
            templates_dir: ordertrack_shared::templates::DEFAULT_TEMPLATES_DIR.into(),
            public_base_url: PUBLIC_BASE_URL.into(),
            metrics_port: None,
            carriers: [Carrier::Fedex, Carrier::Ups, Carrier::Dhl]
                .into_iter()
                .map(|carrier| {
                    let credentials = CarrierCredentials {
                        base_url: providers.carriers.uri(),
                        client_id: format!("{carrier}-client"),
                        client_secret: format!("{carrier}-secret"),
                    };
                    (carrier, credentials)
                })
                .collect(),
            carrier_timeout: Duration::from_secs(5),
            carrier_rate_per_minute: options.carrier_rate_per_minute,
            poll_batch_limit: 300,
            eta_grace: Duration::from_secs(3600),
            no_scan_pre_transit: options.no_scan,
            no_scan_in_transit: options.no_scan,
            no_scan_out_for_delivery: options.no_scan,
            // Small, so the suite's delay scans cross batch boundaries.
            delay_scan_batch: 3,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            event_retention: Duration::from_secs(30 * 86_400),
        };
        let (stop, shutdown) = watch::channel(false);
        if options.worker {
            tasks.push(spawn_worker(worker_config.clone(), shutdown.clone()));
        }
        for _ in 0..options.schedulers {
            let config = SchedulerConfig {
                store: store(&database_url, &redis_url, &options.redis_topology, &namespace),
                schedules: vec![(recurring::named("sweep_outbox").unwrap(), "* * * * * *".into())],
                tick_lease: Duration::from_secs(60),
            };
            let shutdown = shutdown.clone();
            tasks.push(background().spawn(async move {
                ordertrack_scheduler::run(config, shutdown).await.expect("scheduler runs");
            }));
        }

        let db = ordertrack_shared::db::pool(&database_url, 4).expect("pool");
        let mut conn = db.get().await.expect("db");
        let admin_token = ApiToken::mint(&mut conn, Role::Admin, None, "test admin", None).await.unwrap().1;
        let csr_token = ApiToken::mint(&mut conn, Role::Csr, None, "test csr", None).await.unwrap().1;
        let service_token = ApiToken::mint(&mut conn, Role::Service, None, "test storefront", None).await.unwrap().1;
        drop(conn);

        TestApp {
            base_url,
            database,
            database_url,
            db,
            namespace,
            redis_url,
            redis_topology: options.redis_topology.clone(),
            smtp,
            providers,
            http: reqwest::Client::new(),
            admin_token,
            csr_token,
            service_token,
            worker_config,
            api_config,
            api,
            replicas: Default::default(),
            stop,
            tasks,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.http.get(self.url(path)).bearer_auth(token).send().await.expect("GET")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.http.post(self.url(path)).bearer_auth(token).json(body).send().await.expect("POST")
    }

    /// Creates an order as the storefront and returns its JSON.
    pub async fn create_order(&self, body: &Value) -> Value {
        let res = self.post("/api/v1/orders", &self.service_token, body).await;
        assert_eq!(res.status(), 201, "create order: {}", res.text().await.unwrap_or_default());
        res.json().await.unwrap()
    }

    /// A token for the customer the storefront knows as `external_id`.
    pub async fn customer_token(&self, external_id: &str) -> String {
        let mut conn = self.db.get().await.unwrap();
        let customer = Customer::find_by_external_id(&mut conn, external_id).await.expect("customer exists");
        ApiToken::mint(&mut conn, Role::Customer, Some(customer.id), "test customer", None).await.unwrap().1
    }

    pub async fn notifications(&self, order_id: Uuid) -> Vec<Notification> {
        let mut conn = self.db.get().await.unwrap();
        Notification::for_order(&mut conn, order_id).await.unwrap()
    }

    pub async fn attempts(&self, notification_id: Uuid) -> Vec<NotificationAttempt> {
        let mut conn = self.db.get().await.unwrap();
        NotificationAttempt::for_notification(&mut conn, notification_id).await.unwrap()
    }

    /// Starts another api replica on the same database and Redis; returns
    /// its base URL (it stops with the app).
    pub fn another_api(&self) -> String {
        self.another_api_with(|_| {})
    }

    /// Like [`TestApp::another_api`], with settings of its own (tighter
    /// limits, trusted proxies); it shares the database and Redis namespace.
    pub fn another_api_with(&self, change: impl FnOnce(&mut ApiConfig)) -> String {
        let mut config = self.api_config.clone();
        change(&mut config);
        let running = ordertrack_api::start(config).expect("start second api");
        let port = running.port;
        self.replicas.lock().unwrap().push(running.handle.clone());
        tokio::spawn(running.server);
        format!("http://127.0.0.1:{port}")
    }

    /// Verifies `phone` for the customer behind `token` through the API,
    /// reading the code from the fake SMS gateway.
    pub async fn verify_phone(&self, token: &str, phone: &str) {
        let before = self.providers.sms().await.len();
        let res = self.post("/api/v1/me/phone/verification", token, &json!({"phone": phone})).await;
        assert_eq!(res.status(), 202, "{}", res.text().await.unwrap_or_default());
        self.run_pending_jobs().await;
        assert_eq!(self.providers.sms().await.len(), before + 1, "one SMS with the code");
        let sms = self.providers.sms().await.pop().unwrap();
        let code = code_in(&sms.body);
        assert_eq!(code.len(), 6, "no code in {:?}", sms.body);
        let res = self.post("/api/v1/me/phone/verification/confirm", token, &json!({"code": code})).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    }

    /// Registers a push device for the customer behind `token`.
    pub async fn register_device(&self, token: &str, device_token: &str) -> Uuid {
        let res = self.post("/api/v1/me/devices", token, &json!({"token": device_token, "platform": "android"})).await;
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap()
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.http.put(self.url(path)).bearer_auth(token).json(body).send().await.expect("PUT")
    }

    /// Moves an order on through the workflow as an admin.
    pub async fn set_status(&self, order_id: &str, status: &str) {
        let res = self
            .post(
                &format!("/api/v1/orders/{order_id}/status"),
                &self.admin_token,
                &json!({"status": status, "note": "test step"}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    }

    /// A handle that pushes jobs onto this test's queues, as the api does.
    pub fn enqueuer(&self) -> Enqueuer {
        Enqueuer::with_topology(&self.redis_url, &self.redis_topology, &self.namespace, Duration::from_secs(5))
            .expect("enqueuer")
    }

    /// Pushes a maintenance job (what a scheduler tick does) and runs it, and
    /// everything it queues, to completion.
    pub async fn run_job(&self, job: MaintenanceJob) {
        self.enqueuer().push(Queue::Maintenance, job, None).await.expect("push the maintenance job");
        self.run_pending_jobs().await;
    }

    /// Returns once every due job of this test's namespace has completed,
    /// including the jobs they queued: the deterministic way to wait for the
    /// worker (as crates.io's `run_pending_background_jobs`). The worker keeps
    /// running in the background exactly as in production; this only watches
    /// Redis. Jobs scheduled for later (quiet hours, a long backoff, the next
    /// rate window) are not due and do not hold it up. Every job the api queues
    /// is in Redis before the api answers, so after a response this covers the
    /// work that response started. Panics with the queues' state if the
    /// namespace does not drain within `JOBS_DEADLINE` (only a hang gets there).
    pub async fn run_pending_jobs(&self) {
        self.run_pending_jobs_in(Queue::ALL).await;
    }

    /// `run_pending_jobs` limited to some queues (the others may stay busy).
    pub async fn run_pending_jobs_in(&self, queues: &[Queue]) {
        let client = redis::Client::open(self.redis_url.as_str()).expect("redis url");
        let mut conn = client.get_multiplexed_async_connection().await.expect("connect to redis");
        let deadline = tokio::time::Instant::now() + JOBS_DEADLINE;
        let mut drained_in_a_row = 0;
        loop {
            let states = snapshot(&mut conn, &self.namespace, queues).await;
            if states.iter().all(|(_, state)| state.drained()) {
                drained_in_a_row += 1;
                // One snapshot is enough (a job queues its follow-ups before it
                // is acknowledged); a second one costs 10 ms and guards the rest.
                if drained_in_a_row == 2 {
                    return;
                }
            } else {
                drained_in_a_row = 0;
            }
            if tokio::time::Instant::now() >= deadline {
                let report: Vec<String> = states.iter().map(|(queue, state)| format!("  {queue}: {state:?}")).collect();
                panic!(
                    "the jobs of namespace {} did not drain within {JOBS_DEADLINE:?}:\n{}",
                    self.namespace,
                    report.join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// One consistent snapshot of some of this test's queues.
    pub async fn queue_states(&self, queues: &[Queue]) -> Vec<(Queue, QueueState)> {
        let client = redis::Client::open(self.redis_url.as_str()).expect("redis url");
        let mut conn = client.get_multiplexed_async_connection().await.expect("connect to redis");
        snapshot(&mut conn, &self.namespace, queues).await
    }

    /// Stops every process, then drops the database and the Redis keys.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.api.stop().await;
        let replicas = std::mem::take(&mut *self.replicas.lock().unwrap());
        for replica in replicas {
            replica.stop().await;
        }
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
        drop(self.db);
        db::drop_database(&self.database).await;
        let client = redis::Client::open(self.redis_url.as_str()).unwrap();
        if let Ok(mut conn) = client.get_multiplexed_async_connection().await {
            // Plain keys, and the queues' hash-tagged ones.
            let mut keys: Vec<String> = Vec::new();
            let queue = Queue::Notifications.redis_name(&self.namespace);
            let queues = format!("{}*", queue.trim_end_matches(Queue::Notifications.as_str()));
            for pattern in [format!("{}:*", self.namespace), queues] {
                keys.extend(
                    redis::cmd("KEYS").arg(pattern).query_async::<Vec<String>>(&mut conn).await.unwrap_or_default(),
                );
            }
            if !keys.is_empty() {
                let _: Result<(), _> = redis::cmd("DEL").arg(keys).query_async(&mut conn).await;
            }
        }
    }
}

/// The runtime every test's workers and schedulers run on: multi-threaded,
/// as in production (`#[tokio::main]`), and apart from the test's own
/// single-threaded runtime. (apalis' timers are `futures-timer` delays woken
/// from another thread; on the test's current-thread runtime whole workers
/// were seen to stop fetching and heart-beating for minutes.) A worker stops
/// when its shutdown sender says so or is dropped, so a test that panics
/// before `stop` still stops its worker.
fn background() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("test-background")
            .enable_all()
            .build()
            .expect("background runtime")
    })
}

/// Runs a worker in the background (see `background`) until `shutdown` turns
/// true or its sender is dropped.
pub fn spawn_worker(config: WorkerConfig, shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
    background().spawn(async move {
        ordertrack_worker::run(config, shutdown).await.expect("worker runs");
    })
}

/// Rate limits use one-minute windows: a test that counts requests waits
/// out the last seconds of a minute so its requests share one window.
pub async fn start_of_a_rate_window() {
    let second = chrono::Utc::now().timestamp() % 60;
    if second > 50 {
        tokio::time::sleep(Duration::from_secs((61 - second) as u64)).await;
    }
}

/// The six-digit code in a verification SMS.
pub fn code_in(body: &str) -> String {
    body.split(|c: char| !c.is_ascii_digit()).find(|run| run.len() == 6).unwrap_or_default().to_owned()
}

/// How long `run_pending_jobs` waits for the queues to drain before it fails
/// the test: far beyond any job of the suite, even on a loaded machine.
pub const JOBS_DEADLINE: Duration = Duration::from_secs(120);

pub use ordertrack_shared::jobs::queue_state::QueueState;

/// One consistent snapshot of `queues` in `namespace`.
pub async fn snapshot(
    conn: &mut redis::aio::MultiplexedConnection,
    namespace: &str,
    queues: &[Queue],
) -> Vec<(Queue, QueueState)> {
    ordertrack_shared::jobs::queue_state::snapshot(conn, namespace, queues).await.expect("queue snapshot")
}

/// Polls `check` until it holds or `timeout` passes; returns whether it held.
pub async fn eventually<F, Fut>(timeout: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A valid order body; `number` must be unique within the test.
pub fn guest_order(number: &str, email: &str, locale: &str) -> Value {
    json!({
        "order_number": number,
        "guest": {"email": email, "name": "Guest Shopper"},
        "locale": locale,
        "shipping_address": {
            "name": "Guest Shopper", "line1": "1 Test Street", "city": "Valencia",
            "postal_code": "46001", "country": "ES"
        },
        "estimated_delivery_at": "2030-01-10T12:00:00Z"
    })
}

pub fn customer_order(number: &str, external_id: &str) -> Value {
    json!({
        "order_number": number,
        "customer": {"external_id": external_id, "email": format!("{external_id}@example.com"), "name": "Cus Tomer"},
        "shipping_address": {
            "name": "Cus Tomer", "line1": "2 Test Road", "city": "Bucharest",
            "postal_code": "010011", "country": "RO"
        }
    })
}

/// A storefront's change of `order_id` to `to`, with no version, as the
/// service token's `POST /orders/{id}/status` asks it (for tests that plan a
/// change themselves).
pub fn storefront_change(
    order_id: Uuid,
    to: ordertrack_shared::domain::OrderStatus,
) -> ordertrack_shared::orders::StatusChangeRequest {
    ordertrack_shared::orders::StatusChangeRequest {
        order_id,
        to,
        expected_version: None,
        role: Role::Service,
        source: ordertrack_shared::domain::ChangeSource::Storefront,
        actor: "test".into(),
        note: None,
        occurred_at: chrono::Utc::now(),
        payload: json!({}),
    }
}
