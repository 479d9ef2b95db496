//! The fault suite (issue 10, point 1), run by `bench/faults` on release
//! builds: N orders through one api, 2 workers and 2 schedulers while the
//! suite kills a worker (`kill -9`), restarts Redis losing every queued job
//! (`shutdown nosave`), restarts Postgres (`pg_ctl stop -m fast` + start) and
//! restarts the api (SIGTERM + start). Storefront clients retry every request
//! with its `Idempotency-Key` until a 2xx. Email goes through the harness's
//! real SMTP sink, SMS and push to its loopback fakes, all in this process.
//!
//! The suite runs its **own** PostgreSQL cluster (initdb in a temp dir, a
//! spare loopback port) and its own `redis-server` (no persistence), so it can
//! restart them without touching the machine's shared services.
//!
//! It counts, per order: order rows, notification rows, and provider calls
//! (SMTP transactions by `Message-ID` and by recipient, SMS and push calls at
//! the fakes), writes a Markdown section to `FAULTS_RESULTS` and exits 1 on
//! any lost order or message, any duplicate (a copy sent within 0.25 s of a
//! `kill -9`, the documented at-least-once window, is counted apart), any
//! HTTP 500 or unexpected 4xx.
//!
//! Settings (environment, set by `bench/faults`): `FAULTS_ORDERS` (2000),
//! `FAULTS_CLIENTS` (8), `FAULTS_RATE` (orders started per second, 40),
//! `FAULTS_TIMEOUT_SECS` (120: wait for the last email after the last order),
//! `FAULTS_SETTLE_SECS` (15: keep watching for late duplicates),
//! `FAULTS_BIN_DIR` (target/release), `FAULTS_PG_BIN`
//! (/usr/lib/postgresql/15/bin), `FAULTS_PG_USER` (run Postgres as this user;
//! `bench/faults` sets `postgres` when run as root), `FAULTS_WORK_DIR`,
//! `FAULTS_RESULTS`, `FAULTS_LABEL` (commit, for the heading).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use ordertrack_tests::providers::{self, FakeProviders};
use ordertrack_tests::smtp_sink::SmtpSink;
use ordertrack_tests::{guest_order, QueueState};
use uuid::Uuid;

const APP_SECRET: &str = "fault-suite-app-secret-that-is-long-enough-0123";
const NAMESPACE: &str = "faults";
/// `CLAIM_LEASE_MS` of the workers: a claimed row is reclaimed after it.
const CLAIM_LEASE_MS: u64 = 10_000;
/// The sweep runs every 2 s (`SWEEP_SCHEDULE`).
const SWEEP_SCHEDULE: &str = "*/2 * * * * *";
const SWEEP_GRACE_MS: u64 = 5_000;
/// How long Redis and Postgres stay down in their faults.
const OUTAGE: Duration = Duration::from_secs(2);

// ---------------------------------------------------------------- settings

struct Settings {
    orders: usize,
    clients: usize,
    rate: f64,
    timeout: Duration,
    settle: Duration,
    repo: PathBuf,
    bin_dir: PathBuf,
    pg_bin: PathBuf,
    pg_user: Option<String>,
    work_dir: PathBuf,
    results: PathBuf,
    label: String,
}

fn var_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name}: bad value {v:?}")))
}

impl Settings {
    fn from_env() -> Settings {
        let repo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let work_dir: PathBuf = std::env::var("FAULTS_WORK_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir().join(format!("ordertrack-faults-{}", std::process::id())));
        Settings {
            orders: var_or("FAULTS_ORDERS", 2000),
            clients: var_or("FAULTS_CLIENTS", 8),
            rate: var_or("FAULTS_RATE", 40.0),
            timeout: Duration::from_secs(var_or("FAULTS_TIMEOUT_SECS", 120)),
            settle: Duration::from_secs(var_or("FAULTS_SETTLE_SECS", 15)),
            bin_dir: var_or("FAULTS_BIN_DIR", repo.join("target/release").display().to_string()).into(),
            pg_bin: var_or("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin".to_owned()).into(),
            pg_user: std::env::var("FAULTS_PG_USER").ok().filter(|u| !u.is_empty()),
            results: var_or("FAULTS_RESULTS", work_dir.join("results.md").display().to_string()).into(),
            label: var_or("FAULTS_LABEL", String::new()),
            work_dir,
            repo,
        }
    }
}

/// A port nothing listens on right now.
fn spare_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs a short command to completion off the async threads; Err with its output on failure.
async fn run(mut command: Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let output =
        tokio::task::spawn_blocking(move || command.output()).await.unwrap().map_err(|e| format!("{shown}: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!("{shown} failed ({}): {text}", output.status))
    }
}

/// Seconds since the run's clock started.
#[derive(Clone, Copy)]
struct Clock(Instant, SystemTime);

impl Clock {
    fn now(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
    fn of(&self, at: SystemTime) -> f64 {
        match at.duration_since(self.1) {
            Ok(d) => d.as_secs_f64(),
            Err(e) => -e.duration().as_secs_f64(),
        }
    }
}

// ---------------------------------------------------------------- PostgreSQL and Redis of our own

struct Postgres {
    bin: PathBuf,
    user: Option<String>,
    data: PathBuf,
    log: PathBuf,
    port: u16,
}

impl Postgres {
    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match &self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        }
    }

    async fn init(&self) -> Result<(), String> {
        std::fs::create_dir_all(&self.data).map_err(|e| e.to_string())?;
        if let Some(user) = &self.user {
            let dir = self.data.parent().unwrap();
            let mut chown = Command::new("chown");
            chown.args(["-R", user]).arg(dir);
            run(chown).await?;
        }
        let mut initdb = self.command("initdb");
        initdb.arg("-D").arg(&self.data).args(["-U", "ordertrack", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        run(initdb).await.map(drop)
    }

    async fn start(&self) -> Result<(), String> {
        let mut c = self.command("pg_ctl");
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c max_connections=200 -c fsync=off",
            self.port,
            self.data.display()
        );
        c.arg("-D").arg(&self.data).arg("-l").arg(&self.log).args(["-w", "-t", "60", "-o", &options, "start"]);
        c.stdout(Stdio::null());
        run(c).await.map(drop)
    }

    async fn stop(&self, mode: &str) -> Result<(), String> {
        let mut c = self.command("pg_ctl");
        c.arg("-D").arg(&self.data).args(["-w", "-t", "60", "-m", mode, "stop"]);
        run(c).await.map(drop)
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://ordertrack:ordertrack@127.0.0.1:{}/{database}", self.port)
    }
}

struct Redis {
    port: u16,
    dir: PathBuf,
    child: Mutex<Option<Child>>,
}

impl Redis {
    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn start(&self) -> Result<(), String> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join("redis.log")).unwrap();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("redis-server: {e}"))?;
        *self.child.lock().unwrap() = Some(child);
        let client = redis::Client::open(self.url()).unwrap();
        for _ in 0..100 {
            if let Ok(mut conn) = client.get_multiplexed_async_connection().await {
                if redis::cmd("PING").query_async::<String>(&mut conn).await.is_ok() {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err("redis-server did not answer".into())
    }

    /// `SHUTDOWN NOSAVE`: everything in it is gone.
    async fn shutdown_nosave(&self) {
        let mut c = Command::new("redis-cli");
        c.args(["-p", &self.port.to_string(), "shutdown", "nosave"]);
        let _ = run(c).await;
        let child = self.child.lock().unwrap().take();
        if let Some(mut child) = child {
            tokio::task::spawn_blocking(move || child.wait()).await.unwrap().ok();
        }
    }

    /// Jobs waiting in the namespace's queues (active + scheduled) and in flight.
    async fn queued(&self) -> (u64, u64) {
        let Ok(client) = redis::Client::open(self.url()) else { return (0, 0) };
        let Ok(mut conn) = client.get_multiplexed_async_connection().await else { return (0, 0) };
        let states: Vec<(ordertrack_shared::jobs::Queue, QueueState)> =
            snapshot(&mut conn, ordertrack_shared::jobs::Queue::ALL).await;
        let waiting = states.iter().map(|(_, s)| s.active + s.due + s.later).sum();
        let in_flight = states.iter().map(|(_, s)| s.in_flight).sum();
        (waiting, in_flight)
    }
}

async fn snapshot(
    conn: &mut redis::aio::MultiplexedConnection,
    queues: &[ordertrack_shared::jobs::Queue],
) -> Vec<(ordertrack_shared::jobs::Queue, QueueState)> {
    // The harness's consistent snapshot script, on our namespace.
    ordertrack_tests::snapshot(conn, NAMESPACE, queues).await
}

// ---------------------------------------------------------------- the ordertrack processes

struct Slot {
    name: String,
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    child: Option<Child>,
    /// Stopped on purpose: the monitor leaves it alone.
    held: bool,
}

#[derive(Default)]
struct Events {
    /// Unplanned exits: (seconds, process, exit status).
    exits: Vec<(f64, String, String)>,
}

struct Processes {
    slots: Mutex<Vec<Slot>>,
    bin_dir: PathBuf,
    repo: PathBuf,
    logs: PathBuf,
    env: Vec<(String, String)>,
    events: Mutex<Events>,
}

impl Processes {
    fn spawn(&self, slot: &Slot) -> Child {
        let log_path = self.logs.join(format!("{}.log", slot.name));
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log_path).unwrap();
        Command::new(self.bin_dir.join(&slot.program))
            .args(&slot.args)
            .current_dir(&self.repo)
            .envs(self.env.iter().cloned())
            .envs(slot.env.iter().cloned())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", slot.program))
    }

    fn add(&self, name: &str, program: &str, args: &[&str], env: &[(&str, String)]) {
        let mut slot = Slot {
            name: name.into(),
            program: program.into(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: env.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            child: None,
            held: false,
        };
        slot.child = Some(self.spawn(&slot));
        self.slots.lock().unwrap().push(slot);
    }

    /// Sends `signal` to the process; with `hold`, the monitor will not restart it.
    async fn signal(&self, name: &str, signal: &str, hold: bool) {
        let pid = {
            let mut slots = self.slots.lock().unwrap();
            let slot = slots.iter_mut().find(|s| s.name == name).unwrap();
            slot.held |= hold;
            slot.child.as_ref().map(Child::id)
        };
        if let Some(pid) = pid {
            let mut kill = Command::new("kill");
            kill.args([&format!("-{signal}"), &pid.to_string()]);
            let _ = run(kill).await;
        }
    }

    /// Waits until a held process has exited; returns its status.
    async fn wait_exit(&self, name: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            {
                let mut slots = self.slots.lock().unwrap();
                let slot = slots.iter_mut().find(|s| s.name == name).unwrap();
                match slot.child.as_mut().map(|c| c.try_wait()) {
                    Some(Ok(Some(status))) => {
                        slot.child = None;
                        return status.to_string();
                    }
                    None => return "not running".into(),
                    _ => {}
                }
            }
            if Instant::now() > deadline {
                return "still running".into();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Starts a held process again.
    fn restart(&self, name: &str) {
        let mut slots = self.slots.lock().unwrap();
        let index = slots.iter().position(|s| s.name == name).unwrap();
        let child = self.spawn(&slots[index]);
        slots[index].child = Some(child);
        slots[index].held = false;
    }

    /// Restarts any process that exited without being asked to (as a
    /// process supervisor would), and records it.
    fn monitor(self: &Arc<Self>, clock: Clock) {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                let mut restarted = Vec::new();
                {
                    let mut slots = this.slots.lock().unwrap();
                    for slot in slots.iter_mut().filter(|s| !s.held) {
                        if let Some(Ok(Some(status))) = slot.child.as_mut().map(|c| c.try_wait()) {
                            restarted.push((clock.now(), slot.name.clone(), status.to_string()));
                            slot.child = Some(this.spawn(slot));
                        }
                    }
                }
                for (at, name, status) in restarted {
                    eprintln!("  !! {name} exited unexpectedly at {at:.1} s ({status}); restarted");
                    this.events.lock().unwrap().exits.push((at, name, status));
                }
            }
        });
    }

    fn stop_all(&self) {
        let mut slots = self.slots.lock().unwrap();
        for slot in slots.iter_mut() {
            slot.held = true;
            if let Some(child) = slot.child.as_mut() {
                let _ = Command::new("kill").args(["-CONT", &child.id().to_string()]).status();
                let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            }
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        for slot in slots.iter_mut() {
            if let Some(child) = slot.child.as_mut() {
                while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

// ---------------------------------------------------------------- storefront clients

#[derive(Default)]
struct HttpStats {
    /// Answers by status code (every try, retries included).
    statuses: BTreeMap<u16, usize>,
    /// Connection refused/reset, timeouts: retried.
    transport_errors: usize,
    replayed: usize,
    /// Per order: the id the api answered with, and when.
    acked: Vec<Option<(String, f64)>>,
    /// Non-2xx that are not retried (4xx): order index, status, body.
    refused: Vec<(usize, u16, String)>,
    /// 5xx samples: seconds, status, body.
    server_errors: Vec<(f64, u16, String)>,
}

fn order_number(i: usize) -> String {
    format!("FLT-{i:05}")
}

fn email_of(i: usize) -> String {
    format!("shopper-{i:05}@faults.test")
}

fn index_of_email(email: &str) -> Option<usize> {
    email.strip_prefix("shopper-")?.strip_suffix("@faults.test")?.parse().ok()
}

async fn storefront(
    settings: Arc<Settings>,
    api: String,
    token: String,
    clock: Clock,
    next: Arc<AtomicUsize>,
    stats: Arc<Mutex<HttpStats>>,
) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let run_key = Uuid::new_v4().simple().to_string();
    loop {
        let i = next.fetch_add(1, Ordering::SeqCst);
        if i >= settings.orders {
            return;
        }
        let start_at = Duration::from_secs_f64(i as f64 / settings.rate);
        if let Some(wait) = start_at.checked_sub(clock.0.elapsed()) {
            tokio::time::sleep(wait).await;
        }
        let body = guest_order(&order_number(i), &email_of(i), ["en", "es", "ro", "ru"][i % 4]);
        let key = format!("faults-{run_key}-{i}");
        let give_up = Instant::now() + Duration::from_secs(180);
        loop {
            let sent = http
                .post(format!("{api}/api/v1/orders"))
                .bearer_auth(&token)
                .header("Idempotency-Key", &key)
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(res) => {
                    let status = res.status().as_u16();
                    let replayed = res.headers().get("Idempotent-Replayed").is_some();
                    let text = res.text().await.unwrap_or_default();
                    let mut s = stats.lock().unwrap();
                    *s.statuses.entry(status).or_default() += 1;
                    if (200..300).contains(&status) {
                        let id = serde_json::from_str::<serde_json::Value>(&text)
                            .ok()
                            .and_then(|v| v["id"].as_str().map(str::to_owned))
                            .unwrap_or_default();
                        s.replayed += usize::from(replayed);
                        s.acked[i] = Some((id, clock.now()));
                        break;
                    }
                    if status >= 500 {
                        if s.server_errors.len() < 20 || status == 500 {
                            s.server_errors.push((clock.now(), status, text.chars().take(300).collect()));
                        }
                    } else {
                        s.refused.push((i, status, text.chars().take(300).collect()));
                        break;
                    }
                }
                Err(_) => stats.lock().unwrap().transport_errors += 1,
            }
            if Instant::now() > give_up {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

// ---------------------------------------------------------------- faults

/// A copy first sent this close to a `kill -9` fell in the at-least-once
/// window: the killed worker had the provider's answer but not the commit.
const KILL_WINDOW_SECS: f64 = 0.25;

struct Fault {
    name: &'static str,
    at: f64,
    back: f64,
    detail: String,
}

async fn wait_acked(stats: &Mutex<HttpStats>, count: usize) {
    while stats.lock().unwrap().acked.iter().filter(|a| a.is_some()).count() < count {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_healthy(api: &str, timeout: Duration) -> bool {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Ok(res) = http.get(format!("{api}/healthz")).send().await {
            if res.status().is_success() {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[allow(clippy::too_many_arguments)]
async fn inject_faults(
    settings: &Settings,
    clock: Clock,
    stats: &Mutex<HttpStats>,
    procs: &Processes,
    redis: &Redis,
    pg: &Postgres,
    api: &str,
) -> Vec<Fault> {
    let n = settings.orders;
    let mut faults = Vec::new();

    wait_acked(stats, n / 4).await;
    let at = clock.now();
    procs.signal("worker-1", "KILL", true).await;
    let status = procs.wait_exit("worker-1", Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    procs.restart("worker-1");
    faults.push(Fault {
        name: "kill -9 worker-1",
        at,
        back: clock.now(),
        detail: format!("{status}; started again 1 s later"),
    });
    eprintln!("  fault at {at:.1} s: kill -9 worker-1");

    wait_acked(stats, n / 2).await;
    let at = clock.now();
    // Both workers are paused first so that jobs pile up in Redis: the
    // restart must lose real queued jobs, not an empty queue.
    procs.signal("worker-1", "STOP", false).await;
    procs.signal("worker-2", "STOP", false).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (waiting, in_flight) = redis.queued().await;
    redis.shutdown_nosave().await;
    tokio::time::sleep(OUTAGE).await;
    redis.start().await.expect("redis starts again");
    procs.signal("worker-1", "CONT", false).await;
    procs.signal("worker-2", "CONT", false).await;
    faults.push(Fault {
        name: "Redis SHUTDOWN NOSAVE + start",
        at,
        back: clock.now(),
        detail: format!(
            "workers paused (SIGSTOP) 2 s before, resumed after; {waiting} queued and {in_flight} in-flight jobs lost; down {} s",
            OUTAGE.as_secs()
        ),
    });
    eprintln!("  fault at {at:.1} s: Redis restart ({waiting} queued jobs lost)");

    wait_acked(stats, n * 3 / 5).await;
    let at = clock.now();
    procs.signal("api", "TERM", true).await;
    let status = procs.wait_exit("api", Duration::from_secs(30)).await;
    procs.restart("api");
    let healthy = wait_healthy(api, Duration::from_secs(30)).await;
    faults.push(Fault {
        name: "api SIGTERM + start",
        at,
        back: clock.now(),
        detail: format!("{status}; healthy again: {healthy}"),
    });
    eprintln!("  fault at {at:.1} s: api restart");

    wait_acked(stats, n * 3 / 4).await;
    let at = clock.now();
    let stopped = pg.stop("fast").await;
    tokio::time::sleep(OUTAGE).await;
    pg.start().await.expect("postgres starts again");
    faults.push(Fault {
        name: "Postgres stop -m fast + start",
        at,
        back: clock.now(),
        detail: format!("stop: {}; down {} s + start", if stopped.is_ok() { "ok" } else { "failed" }, OUTAGE.as_secs()),
    });
    eprintln!("  fault at {at:.1} s: Postgres restart");
    faults
}

// ---------------------------------------------------------------- what reached the providers

/// One SMTP transaction the sink accepted.
struct Mail {
    message_id: String,
    recipient: String,
    at: f64,
}

fn drain_sink(sink: &SmtpSink, seen: &mut Vec<Mail>, clock: Clock) {
    for mail in sink.received_after(seen.len()) {
        seen.push(Mail {
            message_id: mail.header("Message-ID").unwrap_or_default().trim().to_owned(),
            recipient: <[String]>::first(&mail.to).cloned().unwrap_or_default(),
            at: clock.of(mail.received_at),
        });
    }
}

/// The notification id in `<id@domain>`.
fn notification_of(message_id: &str) -> Option<Uuid> {
    message_id.trim_matches(['<', '>']).split('@').next()?.parse().ok()
}

// ---------------------------------------------------------------- what Postgres holds

#[derive(QueryableByName)]
struct OrderRow {
    #[diesel(sql_type = Text)]
    order_number: String,
    #[diesel(sql_type = Text)]
    id: String,
}

#[derive(QueryableByName)]
struct NotificationRow {
    #[diesel(sql_type = Text)]
    order_number: String,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Text)]
    event: String,
}

#[derive(QueryableByName)]
struct AttemptRow {
    #[diesel(sql_type = Text)]
    notification_id: String,
    #[diesel(sql_type = BigInt)]
    attempt: i64,
    #[diesel(sql_type = Text)]
    outcome: String,
    /// Seconds since the Unix epoch.
    #[diesel(sql_type = Double)]
    started_at: f64,
    #[diesel(sql_type = Nullable<Text>)]
    error: Option<String>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn connect(url: &str) -> AsyncPgConnection {
    for _ in 0..100 {
        if let Ok(conn) = AsyncPgConnection::establish(url).await {
            return conn;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("cannot connect to the suite's Postgres");
}

async fn unfinished(url: &str) -> i64 {
    let mut conn = connect(url).await;
    diesel::sql_query("SELECT count(*) AS n FROM notifications WHERE status = 'pending'")
        .get_result::<Count>(&mut conn)
        .await
        .map_or(-1, |c| c.n)
}

// ---------------------------------------------------------------- main

#[tokio::main]
async fn main() {
    let settings = Arc::new(Settings::from_env());
    let code = match suite(settings.clone()).await {
        Ok(passed) => i32::from(!passed),
        Err(error) => {
            eprintln!("fault suite could not run: {error}");
            2
        }
    };
    std::process::exit(code);
}

async fn suite(settings: Arc<Settings>) -> Result<bool, String> {
    let work = settings.work_dir.clone();
    let logs = work.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    eprintln!("== fault suite: {} orders, work dir {}", settings.orders, work.display());

    let pg = Postgres {
        bin: settings.pg_bin.clone(),
        user: settings.pg_user.clone(),
        data: work.join("pg").join("data"),
        log: work.join("pg").join("postgres.log"),
        port: spare_port(),
    };
    pg.init().await?;
    pg.start().await?;
    let redis_dir = work.join("redis");
    std::fs::create_dir_all(&redis_dir).map_err(|e| e.to_string())?;
    let redis = Redis { port: spare_port(), dir: redis_dir, child: Mutex::new(None) };
    redis.start().await?;

    let outcome = with_services(settings.clone(), &pg, &redis, &logs).await;

    redis.shutdown_nosave().await;
    let _ = pg.stop("immediate").await;
    match &outcome {
        Ok(true) => {
            let _ = std::fs::remove_dir_all(&work);
        }
        _ => {
            let _ = std::fs::remove_dir_all(work.join("pg"));
            eprintln!("logs kept in {}", logs.display());
        }
    }
    outcome
}

async fn with_services(settings: Arc<Settings>, pg: &Postgres, redis: &Redis, logs: &Path) -> Result<bool, String> {
    let mut psql = Command::new("psql");
    psql.arg(pg.url("postgres")).args(["-qc", "CREATE DATABASE ordertrack"]);
    run(psql).await?;
    let database_url = pg.url("ordertrack");

    let sink = SmtpSink::start().await;
    let fakes = FakeProviders::start().await;
    let api_port = spare_port();
    let api = format!("http://127.0.0.1:{api_port}");
    let env: Vec<(String, String)> = [
        ("DATABASE_URL", database_url.clone()),
        ("DATABASE_POOL_SIZE", "10".into()),
        ("REDIS_URL", redis.url()),
        ("REDIS_NAMESPACE", NAMESPACE.into()),
        ("APP_SECRET", APP_SECRET.into()),
        ("RUST_LOG", std::env::var("FAULTS_RUST_LOG").unwrap_or_else(|_| "warn".into())),
        ("PORT", api_port.to_string()),
        ("HTTP_WORKERS", "2".into()),
        ("RATE_LIMITS", "off".into()),
        ("EMAIL_TRANSPORT", "smtp".into()),
        ("SMTP_HOST", "127.0.0.1".into()),
        ("SMTP_PORT", sink.port.to_string()),
        ("SMTP_TLS", "none".into()),
        ("SMTP_TIMEOUT_MS", "5000".into()),
        ("EMAIL_FROM", "ordertrack <no-reply@faults.test>".into()),
        ("SMS_TRANSPORT", "twilio".into()),
        ("TWILIO_BASE_URL", fakes.twilio.uri()),
        ("TWILIO_ACCOUNT_SID", providers::TWILIO_SID.into()),
        ("TWILIO_AUTH_TOKEN", providers::TWILIO_TOKEN.into()),
        ("TWILIO_FROM", providers::TWILIO_FROM.into()),
        ("PUSH_TRANSPORT", "fcm".into()),
        ("FCM_BASE_URL", fakes.fcm.uri()),
        ("FCM_PROJECT_ID", providers::FCM_PROJECT.into()),
        ("FCM_SERVICE_ACCOUNT_FILE", fakes.service_account_file.display().to_string()),
        ("CLAIM_LEASE_MS", CLAIM_LEASE_MS.to_string()),
        ("SWEEP_GRACE_MS", SWEEP_GRACE_MS.to_string()),
        ("RETRY_BASE_MS", "500".into()),
        ("RETRY_MAX_MS", "5000".into()),
        ("NOTIFY_MAX_ATTEMPTS", "10".into()),
        ("SWEEP_SCHEDULE", SWEEP_SCHEDULE.into()),
        ("POLL_SCHEDULE", "off".into()),
        ("DELAY_SCHEDULE", "off".into()),
        ("VACUUM_SCHEDULE", "off".into()),
        ("EVENT_PRUNE_SCHEDULE", "off".into()),
        ("SIMULATOR_SCHEDULE", "off".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();

    let cli = |args: &[&str]| {
        let mut c = Command::new(settings.bin_dir.join("api"));
        c.args(args).current_dir(&settings.repo).envs(env.iter().cloned());
        c
    };
    run(cli(&["migrate"])).await?;
    let printed = run(cli(&["token", "create", "--role", "service", "--label", "fault suite"])).await?;
    let token = printed.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or_default().to_owned();

    let procs = Arc::new(Processes {
        slots: Mutex::new(Vec::new()),
        bin_dir: settings.bin_dir.clone(),
        repo: settings.repo.clone(),
        logs: logs.to_owned(),
        env,
        events: Mutex::default(),
    });
    procs.add("api", "api", &[], &[]);
    procs.add("worker-1", "worker", &["--name", "faults-1"], &[]);
    procs.add("worker-2", "worker", &["--name", "faults-2"], &[]);
    procs.add("scheduler-1", "scheduler", &[], &[]);
    procs.add("scheduler-2", "scheduler", &[], &[]);
    if !wait_healthy(&api, Duration::from_secs(30)).await {
        procs.stop_all();
        return Err("the api did not become healthy".into());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    // ------------------------------------------------------------ the run
    let clock = Clock(Instant::now(), SystemTime::now());
    procs.monitor(clock);
    let stats = Arc::new(Mutex::new(HttpStats { acked: vec![None; settings.orders], ..HttpStats::default() }));
    let next = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..settings.clients)
        .map(|_| {
            tokio::spawn(storefront(settings.clone(), api.clone(), token.clone(), clock, next.clone(), stats.clone()))
        })
        .collect();
    eprintln!("  {} storefront clients, {} orders/s", settings.clients, settings.rate);
    let faults = inject_faults(&settings, clock, &stats, &procs, redis, pg, &api).await;
    for client in clients {
        client.await.unwrap();
    }
    let orders_done = clock.now();
    eprintln!("  orders done at {orders_done:.1} s; waiting for the emails");

    // Every acknowledged order's email, then a settle period for late duplicates.
    let acked: Vec<bool> = stats.lock().unwrap().acked.iter().map(Option::is_some).collect();
    let mut mails: Vec<Mail> = Vec::new();
    let deadline = Instant::now() + settings.timeout;
    let all_arrived = loop {
        drain_sink(&sink, &mut mails, clock);
        let mut got = vec![false; settings.orders];
        for mail in &mails {
            if let Some(i) = index_of_email(&mail.recipient).filter(|i| *i < settings.orders) {
                got[i] = true;
            }
        }
        if acked.iter().zip(&got).all(|(a, g)| !a || *g) {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let arrived_at = clock.now();
    eprintln!("  emails {} at {arrived_at:.1} s; settling", if all_arrived { "all in" } else { "TIMED OUT" });
    let settle_until = Instant::now() + settings.settle;
    let settle_deadline = Instant::now() + settings.settle + Duration::from_secs(30);
    let mut unfinished_rows;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        unfinished_rows = unfinished(&database_url).await;
        if Instant::now() > settle_until && unfinished_rows == 0 || Instant::now() > settle_deadline {
            break;
        }
    }
    drain_sink(&sink, &mut mails, clock);
    let sms = fakes.sms().await;
    let pushes = fakes.pushes().await;
    procs.stop_all();

    // ------------------------------------------------------------ counting
    let mut conn = connect(&database_url).await;
    let orders: Vec<OrderRow> =
        diesel::sql_query("SELECT order_number, id::text AS id FROM orders WHERE order_number LIKE 'FLT-%'")
            .load(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
    let notifications: Vec<NotificationRow> = diesel::sql_query(
        "SELECT o.order_number, n.id::text AS id, n.status::text AS status, n.channel::text AS channel, n.event::text AS event \
         FROM notifications n JOIN orders o ON o.id = n.order_id WHERE o.order_number LIKE 'FLT-%'",
    )
    .load(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    let attempts: Vec<AttemptRow> = diesel::sql_query(
        "SELECT notification_id::text AS notification_id, attempt::bigint AS attempt, outcome::text AS outcome, \
         extract(epoch FROM started_at)::float8 AS started_at, error \
         FROM notification_attempts ORDER BY notification_id, attempt",
    )
    .load(&mut conn)
    .await
    .map_err(|e| e.to_string())?;

    let n = settings.orders;
    let index = |number: &str| number.strip_prefix("FLT-").and_then(|i| i.parse::<usize>().ok()).filter(|i| *i < n);
    let mut order_rows = vec![0usize; n];
    let mut order_ids: Vec<Vec<String>> = vec![Vec::new(); n];
    for row in &orders {
        if let Some(i) = index(&row.order_number) {
            order_rows[i] += 1;
            order_ids[i].push(row.id.clone());
        }
    }
    let mut notification_rows = vec![0usize; n];
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut status_of: HashMap<String, String> = HashMap::new();
    for row in &notifications {
        if let Some(i) = index(&row.order_number) {
            notification_rows[i] += 1;
        }
        *statuses.entry(row.status.clone()).or_default() += 1;
        *kinds.entry(format!("{} {}", row.event, row.channel)).or_default() += 1;
        status_of.insert(row.id.clone(), row.status.clone());
    }
    let mut attempts_of: HashMap<String, Vec<&AttemptRow>> = HashMap::new();
    for attempt in &attempts {
        attempts_of.entry(attempt.notification_id.clone()).or_default().push(attempt);
    }
    let mut emails_to = vec![0usize; n];
    let mut first_email = vec![f64::NAN; n];
    let mut by_message_id: BTreeMap<&str, Vec<&Mail>> = BTreeMap::new();
    let mut strangers = 0;
    for mail in &mails {
        by_message_id.entry(mail.message_id.as_str()).or_default().push(mail);
        match index_of_email(&mail.recipient).filter(|i| *i < n) {
            Some(i) => {
                emails_to[i] += 1;
                if first_email[i].is_nan() {
                    first_email[i] = mail.at;
                }
            }
            None => strangers += 1,
        }
    }

    let http = std::mem::take(&mut *stats.lock().unwrap());
    let acked_count = http.acked.iter().filter(|a| a.is_some()).count();
    let never_acked = n - acked_count;
    let acked_missing = (0..n).filter(|i| http.acked[*i].is_some() && order_rows[*i] == 0).count();
    let wrong_id = (0..n)
        .filter(|i| http.acked[*i].as_ref().is_some_and(|(id, _)| !order_ids[*i].contains(id)) && order_rows[*i] > 0)
        .count();
    let duplicate_orders: usize = order_rows.iter().map(|c| c.saturating_sub(1)).sum();
    let orders_present = order_rows.iter().filter(|c| **c > 0).count();
    let notifications_missing = (0..n).filter(|i| order_rows[*i] > 0 && notification_rows[*i] == 0).count();
    let duplicate_notifications: usize = notification_rows.iter().map(|c| c.saturating_sub(1)).sum();
    let emails_missing = (0..n).filter(|i| order_rows[*i] > 0 && emails_to[*i] == 0).count();
    let duplicate_emails: usize = emails_to.iter().map(|c| c.saturating_sub(1)).sum();
    let duplicate_ids: Vec<(&str, &Vec<&Mail>)> =
        by_message_id.iter().filter(|(_, m)| m.len() > 1).map(|(id, m)| (*id, m)).collect();
    let duplicate_transactions: usize = duplicate_ids.iter().map(|(_, m)| m.len() - 1).sum();
    // The documented at-least-once window (docs/ARCHITECTURE.md, delivery
    // guarantees): a worker killed between the provider's answer and the
    // commit of the outcome. Such a copy is counted and shown, apart.
    let killed_mid_send =
        |first: f64| faults.iter().any(|f| f.name.starts_with("kill -9") && (first - f.at).abs() <= KILL_WINDOW_SECS);
    let kill_window_copies: usize =
        duplicate_ids.iter().filter(|(_, m)| killed_mid_send(m[0].at)).map(|(_, m)| m.len() - 1).sum();
    let sms_duplicates = duplicates_of(sms.iter().map(|s| format!("{} {}", s.to, s.body)));
    let push_duplicates = duplicates_of(pushes.iter().map(|p| format!("{} {} {}", p.token, p.title, p.body)));
    let http_500 = http.statuses.get(&500).copied().unwrap_or(0);
    let http_503 = http.statuses.get(&503).copied().unwrap_or(0);
    let other_5xx: usize = http.statuses.iter().filter(|(s, _)| **s > 500 && **s != 503).map(|(_, c)| c).sum();
    let lost = never_acked + acked_missing + notifications_missing + emails_missing;
    let duplicates = duplicate_orders + duplicate_notifications + duplicate_emails + sms_duplicates + push_duplicates;
    let exits = procs.events.lock().unwrap().exits.clone();

    let last_fault = faults.iter().map(|f| f.at).fold(f64::NAN, f64::max);
    let last_fault_back = faults.iter().map(|f| f.back).fold(f64::NAN, f64::max);
    let last_first_email = first_email.iter().copied().filter(|t| !t.is_nan()).fold(f64::NAN, f64::max);
    let last_any_email = mails.iter().map(|m| m.at).fold(f64::NAN, f64::max);

    // Order acknowledged -> its first email, over the orders that have both.
    let mut latencies: Vec<(f64, usize)> = (0..n)
        .filter_map(|i| http.acked[i].as_ref().map(|(_, at)| (first_email[i] - at, i)))
        .filter(|(d, _)| !d.is_nan())
        .collect();
    latencies.sort_by(|a, b| a.0.total_cmp(&b.0));
    let percentile =
        |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)));
    let latency_text = match (percentile(0.5), percentile(0.99), latencies.last()) {
        (Some(p50), Some(p99), Some(max)) => format!(
            "p50 {:.2} s, p99 {:.2} s, max {:.2} s ({}, acknowledged at {:.1} s)",
            p50.0,
            p99.0,
            max.0,
            order_number(max.1),
            http.acked[max.1].as_ref().map_or(f64::NAN, |(_, at)| *at)
        ),
        _ => "none".into(),
    };

    let passed = lost == 0
        && duplicates == kill_window_copies
        && duplicate_transactions == kill_window_copies
        && http_500 == 0
        && http.refused.is_empty()
        && wrong_id == 0
        && all_arrived;

    // ------------------------------------------------------------ report
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(String::new());
    line(format!(
        "## Fault suite (bench/faults) — {} — {} — {} orders — {}",
        chrono::Utc::now().format("%Y-%m-%dT%H:%MZ"),
        settings.label,
        n,
        if passed { "PASS" } else { "FAIL" }
    ));
    line(String::new());
    line(format!(
        "Setup: {} build; 1 api (HTTP_WORKERS=2), 2 workers (default concurrency), 2 schedulers (sweep every 2 s), \
         CLAIM_LEASE_MS={CLAIM_LEASE_MS}, SWEEP_GRACE_MS={SWEEP_GRACE_MS}, NOTIFY_MAX_ATTEMPTS=10; the suite's own \
         PostgreSQL and redis-server (no persistence) on loopback; {} storefront clients at {} orders/s (guest orders, \
         one `Idempotency-Key` per order, every try retried until 2xx); email through the harness's SMTP sink, SMS and \
         push at its loopback fakes, all in the suite's process. Orders finished at {orders_done:.1} s.",
        if settings.bin_dir.ends_with("debug") { "debug" } else { "release" },
        settings.clients,
        settings.rate
    ));
    line(String::new());
    line("| fault | at | back | detail |".into());
    line("|---|---|---|---|".into());
    for f in &faults {
        line(format!("| {} | {:.1} s | {:.1} s | {} |", f.name, f.at, f.back, f.detail));
    }
    line(String::new());
    line("| count | result |".into());
    line("|---|---|".into());
    let statuses_text = http.statuses.iter().map(|(s, c)| format!("{s}: {c}")).collect::<Vec<_>>().join(", ");
    line(format!(
        "| orders acknowledged (2xx) | {acked_count} of {n} ({} replayed with `Idempotent-Replayed`); never acknowledged: {never_acked} |",
        http.replayed
    ));
    line(format!(
        "| orders in Postgres | {orders_present}; duplicates: {duplicate_orders}; acknowledged but missing: {acked_missing}; answered with another id: {wrong_id} |"
    ));
    line(format!(
        "| HTTP answers (every try) | {statuses_text}; connection errors or timeouts: {} |",
        http.transport_errors
    ));
    line(format!("| HTTP 500 | {http_500} |"));
    line(format!("| HTTP 503 | {http_503} (other 5xx: {other_5xx}) |"));
    line(format!("| refused (4xx, not retried) | {} |", http.refused.len()));
    line(format!(
        "| notification rows | {} ({}; {}); orders without one: {notifications_missing}; duplicates: {duplicate_notifications} |",
        notifications.len(),
        kinds.iter().map(|(k, c)| format!("{k}: {c}")).collect::<Vec<_>>().join(", "),
        statuses.iter().map(|(k, c)| format!("{k}: {c}")).collect::<Vec<_>>().join(", ")
    ));
    line(format!(
        "| emails (SMTP transactions) | {} ({} distinct Message-IDs); orders without one: {emails_missing}; duplicate emails per order: {duplicate_emails}; duplicate Message-IDs: {} ({duplicate_transactions} extra transactions); to unknown recipients: {strangers} |",
        mails.len(),
        by_message_id.len(),
        duplicate_ids.len()
    ));
    line(format!(
        "| SMS / push calls at the fakes | {} / {} (none expected: guest order confirmations are email only); duplicates: {sms_duplicates} / {push_duplicates} |",
        sms.len(),
        pushes.len()
    ));
    line(format!("| notifications still pending or sending at the end | {unfinished_rows} |"));
    line(format!(
        "| unplanned process exits (restarted by the suite) | {} |",
        if exits.is_empty() {
            "0".to_owned()
        } else {
            exits
                .iter()
                .map(|(at, name, status)| format!("{name} at {at:.1} s ({status})"))
                .collect::<Vec<_>>()
                .join("; ")
        }
    ));
    line(format!(
        "| last fault → last email | last fault at {last_fault:.1} s (back at {last_fault_back:.1} s); last order's first email at {last_first_email:.1} s: **{:.1} s** after the fault ({:.1} s after it was back); last SMTP transaction of all at {last_any_email:.1} s |",
        last_first_email - last_fault,
        last_first_email - last_fault_back
    ));
    line(format!("| order acknowledged → its first email | {latency_text} |"));
    line(format!(
        "| **lost / duplicate** | **{lost} lost, {} duplicate provider calls, {duplicate_orders} duplicate orders, {http_500} HTTP 500**; of the duplicates, {kill_window_copies} sent within {KILL_WINDOW_SECS} s of a `kill -9` (the documented at-least-once window, not a failure) |",
        duplicate_emails + sms_duplicates + push_duplicates
    ));
    if !duplicate_ids.is_empty() || duplicate_emails > 0 {
        line(String::new());
        line("Duplicate emails (Message-ID: arrivals at the sink; the notification's status and attempts):".into());
        line(String::new());
        for (shown, i) in (0..n).filter(|i| emails_to[*i] > 1).enumerate() {
            if shown == 20 {
                line(format!("- … and {} more", (0..n).filter(|i| emails_to[*i] > 1).count() - shown));
                break;
            }
            let to = email_of(i);
            let arrivals: Vec<String> = mails
                .iter()
                .filter(|m| m.recipient == to)
                .map(|m| format!("`{}` at {:.2} s", m.message_id, m.at))
                .collect();
            let ids: Vec<String> = mails
                .iter()
                .filter(|m| m.recipient == to)
                .filter_map(|m| notification_of(&m.message_id))
                .map(|u| u.to_string())
                .collect();
            let mut history = Vec::new();
            for id in ids.iter().collect::<std::collections::BTreeSet<_>>() {
                let tries: Vec<String> = attempts_of
                    .get(id.as_str())
                    .map(|v| {
                        v.iter()
                            .map(|a| {
                                let at =
                                    clock.of(SystemTime::UNIX_EPOCH + Duration::from_secs_f64(a.started_at.max(0.0)));
                                format!(
                                    "#{} {} started at {:.2} s{}",
                                    a.attempt,
                                    a.outcome,
                                    at,
                                    a.error
                                        .as_deref()
                                        .map(|e| format!(" ({})", e.chars().take(80).collect::<String>()))
                                        .unwrap_or_default()
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                history.push(format!(
                    "row {} {}, attempts: {}",
                    &id[..8],
                    status_of.get(id.as_str()).map_or("?", String::as_str),
                    if tries.is_empty() { "none recorded".to_owned() } else { tries.join(", ") }
                ));
            }
            let first = mails.iter().find(|m| m.recipient == to).map_or(f64::NAN, |m| m.at);
            let near = faults
                .iter()
                .min_by(|a, b| (first - a.at).abs().total_cmp(&(first - b.at).abs()))
                .map(|f| {
                    format!(
                        "first send {:+.2} s from the fault \"{}\" (at {:.1} s, back {:.1} s)",
                        first - f.at,
                        f.name,
                        f.at,
                        f.back
                    )
                })
                .unwrap_or_default();
            line(format!("- {} ({}): {}; {near}; {}", order_number(i), to, arrivals.join(", "), history.join("; ")));
        }
    }
    if http_500 > 0 || !http.refused.is_empty() {
        line(String::new());
        line("HTTP 500s and refusals:".into());
        line(String::new());
        for (at, status, body) in http.server_errors.iter().filter(|(_, s, _)| *s == 500).take(10) {
            line(format!("- {status} at {at:.2} s: `{}`", body.replace('`', "'")));
        }
        for (i, status, body) in http.refused.iter().take(10) {
            line(format!("- {} got {status}: `{}`", order_number(*i), body.replace('`', "'")));
        }
    }
    if !all_arrived {
        let missing: Vec<String> =
            (0..n).filter(|i| acked[*i] && emails_to[*i] == 0).take(10).map(order_number).collect();
        line(String::new());
        line(format!(
            "Timed out after {} s waiting for emails; e.g. missing: {}",
            settings.timeout.as_secs(),
            missing.join(", ")
        ));
    }
    print!("{out}");
    std::fs::write(&settings.results, &out).map_err(|e| format!("{}: {e}", settings.results.display()))?;
    Ok(passed)
}

/// How many entries repeat an earlier one.
fn duplicates_of(items: impl Iterator<Item = String>) -> usize {
    let mut seen = std::collections::HashSet::new();
    items.filter(|item| !seen.insert(item.clone())).count()
}
