//! Live order updates under load (issue 11), run by `bench/live` against a
//! release api and `bench_bare_sse` it started; prints Markdown table rows.
//!
//! 1. Idle connections: N SSE clients on the bare actix-web server, then N on
//!    the api (`GET /api/v1/orders/{id}/events`, admin token, one order
//!    each); each server's VmRSS before opening and after holding them for
//!    BENCH_HOLD_SECS (past one heartbeat, which every client must receive).
//! 2. Publish-to-delivery latency: the event JSON's `created_at` (the row's
//!    `clock_timestamp()`, taken in the transaction that commits the status
//!    change) to the moment the client read the bytes carrying the event
//!    (same machine, same clock):
//!    - (b) on the N idle api clients: one change per order (confirmed ->
//!      processing), BENCH_SENDERS concurrent HTTP senders;
//!    - (a) BENCH_FANOUT_CLIENTS clients on one order, BENCH_CHANGES changes
//!      (processing <-> on_hold), each delivered to every client before the next.
//!
//! The SSE clients are raw tokio `TcpStream`s: a hand-written HTTP/1.1 GET,
//! the response head, chunked transfer decoding and SSE framing (`id:`,
//! `event:`, `data:`; `:` comments are heartbeats). Any connection that fails
//! to open or ends, any HTTP request that fails, any event missed, received
//! twice or unexpected: error counts on stderr, exit status 1, no table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Connections being opened at once (the api's listen backlog is 128).
const OPEN_CONCURRENCY: usize = 100;
const OPEN_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a change may take to reach every client.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------- errors

struct Errors {
    connect: AtomicUsize,
    http: AtomicUsize,
    stream: AtomicUsize,
    missed: AtomicUsize,
    duplicate: AtomicUsize,
    unexpected: AtomicUsize,
    samples: Mutex<Vec<String>>,
}

static ERRORS: Errors = Errors {
    connect: AtomicUsize::new(0),
    http: AtomicUsize::new(0),
    stream: AtomicUsize::new(0),
    missed: AtomicUsize::new(0),
    duplicate: AtomicUsize::new(0),
    unexpected: AtomicUsize::new(0),
    samples: Mutex::new(Vec::new()),
};

impl Errors {
    fn record(&self, counter: &AtomicUsize, count: usize, what: String) {
        counter.fetch_add(count, Ordering::Relaxed);
        let mut samples = self.samples.lock().unwrap();
        if samples.len() < 10 {
            samples.push(what);
        }
    }

    fn counts(&self) -> [(&'static str, usize); 6] {
        [
            ("connect", self.connect.load(Ordering::Relaxed)),
            ("http", self.http.load(Ordering::Relaxed)),
            ("stream", self.stream.load(Ordering::Relaxed)),
            ("missed", self.missed.load(Ordering::Relaxed)),
            ("duplicate", self.duplicate.load(Ordering::Relaxed)),
            ("unexpected", self.unexpected.load(Ordering::Relaxed)),
        ]
    }

    fn total(&self) -> usize {
        self.counts().iter().map(|(_, n)| n).sum()
    }

    fn summary(&self) -> String {
        self.counts().iter().map(|(name, n)| format!("{name} {n}")).collect::<Vec<_>>().join(", ")
    }

    /// Ends the run (exit 1, no figures) if anything failed so far.
    fn check(&self, phase: &str) {
        eprintln!("   errors after {phase}: {}", self.summary());
        if self.total() > 0 {
            for sample in self.samples.lock().unwrap().iter() {
                eprintln!("   e.g. {sample}");
            }
            eprintln!("FAILED in {phase}: {}", self.summary());
            std::process::exit(1);
        }
    }
}

// ---------------------------------------------------------------- settings

struct Settings {
    api_url: String,
    api: SocketAddr,
    api_pid: u32,
    bare: SocketAddr,
    bare_pid: u32,
    admin: String,
    service: String,
    clients: usize,
    fanout_clients: usize,
    changes: usize,
    senders: usize,
    hold: Duration,
    grace: Duration,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is required"))
}

fn var_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name}: bad value")))
}

fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://").trim_end_matches('/').parse().expect("BENCH_*_URL must be http://IP:PORT")
}

impl Settings {
    fn from_env() -> Settings {
        let api_url = var("BENCH_API_URL");
        Settings {
            api: addr_of(&api_url),
            api_url,
            api_pid: var("BENCH_API_PID").parse().expect("BENCH_API_PID"),
            bare: addr_of(&var("BENCH_BARE_URL")),
            bare_pid: var("BENCH_BARE_PID").parse().expect("BENCH_BARE_PID"),
            admin: var("BENCH_ADMIN_TOKEN"),
            service: var("BENCH_SERVICE_TOKEN"),
            clients: var_or("BENCH_CLIENTS", 10_000),
            fanout_clients: var_or("BENCH_FANOUT_CLIENTS", 1_000),
            changes: var_or("BENCH_CHANGES", 20),
            senders: var_or("BENCH_SENDERS", 16),
            hold: Duration::from_secs(var_or("BENCH_HOLD_SECS", 20)),
            // Longer than STREAM_POLL_MS: a late duplicate would show up.
            grace: Duration::from_millis(var_or("BENCH_GRACE_MS", 2_000)),
        }
    }
}

/// VmRSS of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("process status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

// ---------------------------------------------------------------- HTTP body and SSE framing

/// Undoes `Transfer-Encoding: chunked` (or passes the body through).
struct Body {
    chunked: bool,
    raw: Vec<u8>,
    remaining: usize,
    crlf: bool,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Body {
    fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        if !self.chunked {
            out.extend_from_slice(input);
            return Ok(());
        }
        self.raw.extend_from_slice(input);
        let mut pos = 0;
        loop {
            if self.remaining > 0 {
                let take = self.remaining.min(self.raw.len() - pos);
                if take == 0 {
                    break;
                }
                out.extend_from_slice(&self.raw[pos..pos + take]);
                pos += take;
                self.remaining -= take;
                self.crlf = self.remaining == 0;
                continue;
            }
            if self.crlf {
                if self.raw.len() - pos < 2 {
                    break;
                }
                if &self.raw[pos..pos + 2] != b"\r\n" {
                    return Err("bad chunk terminator".into());
                }
                pos += 2;
                self.crlf = false;
                continue;
            }
            let Some(end) = find(&self.raw[pos..], b"\r\n") else { break };
            let line = String::from_utf8_lossy(&self.raw[pos..pos + end]);
            let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| format!("bad chunk size {line:?}"))?;
            pos += end + 2;
            if size == 0 {
                return Err("the server ended the stream (last chunk)".into());
            }
            self.remaining = size;
        }
        self.raw.drain(..pos);
        Ok(())
    }
}

enum Frame {
    Comment,
    Event { id: Option<String>, event: String, data: String },
}

/// SSE framing: fields until a blank line; `:` lines are comments.
#[derive(Default)]
struct Sse {
    buf: Vec<u8>,
    id: Option<String>,
    event: Option<String>,
    data: Option<String>,
}

impl Sse {
    fn feed(&mut self, input: &[u8], frames: &mut Vec<Frame>) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.extend_from_slice(input);
        let mut start = 0;
        while let Some(nl) = buf[start..].iter().position(|b| *b == b'\n') {
            let mut line = &buf[start..start + nl];
            start += nl + 1;
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            let line = String::from_utf8_lossy(line);
            if line.is_empty() {
                if let Some(data) = self.data.take() {
                    let event = self.event.take().unwrap_or_else(|| "message".into());
                    frames.push(Frame::Event { id: self.id.take(), event, data });
                }
                self.id = None;
                self.event = None;
            } else if line.starts_with(':') {
                frames.push(Frame::Comment);
            } else {
                let (field, value) = match line.split_once(':') {
                    Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                    None => (&*line, ""),
                };
                match field {
                    "id" => self.id = Some(value.to_owned()),
                    "event" => self.event = Some(value.to_owned()),
                    "data" => match &mut self.data {
                        Some(data) => {
                            data.push('\n');
                            data.push_str(value);
                        }
                        None => self.data = Some(value.to_owned()),
                    },
                    _ => {} // retry
                }
            }
        }
        buf.drain(..start);
        self.buf = buf;
    }
}

// ---------------------------------------------------------------- SSE clients

/// One timeline event as a client received it.
struct Delivery {
    client: usize,
    id: i64,
    order_id: Option<Uuid>,
    status: Option<String>,
    /// From the event's `created_at` to the read that carried it.
    latency_us: i64,
}

struct Fleet {
    handles: Vec<JoinHandle<()>>,
    stop: watch::Sender<bool>,
    events: mpsc::UnboundedReceiver<Delivery>,
    /// Clients that got at least one heartbeat comment.
    pinged: Arc<AtomicUsize>,
    opened_in: Duration,
}

enum OpenError {
    Connect(String),
    Http(String),
}

/// Connects, sends the GET, reads the response head; returns the stream,
/// what followed the head, and whether the body is chunked.
async fn open(addr: SocketAddr, request: &str) -> Result<(TcpStream, Vec<u8>, bool), OpenError> {
    let mut stream = TcpStream::connect(addr).await.map_err(|e| OpenError::Connect(format!("connect: {e}")))?;
    stream.set_nodelay(true).map_err(|e| OpenError::Connect(e.to_string()))?;
    stream.write_all(request.as_bytes()).await.map_err(|e| OpenError::Connect(format!("write: {e}")))?;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    let end = loop {
        let n = stream.read(&mut buf).await.map_err(|e| OpenError::Connect(format!("read head: {e}")))?;
        if n == 0 {
            return Err(OpenError::Connect("closed before the response head".into()));
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&head, b"\r\n\r\n") {
            break end;
        }
        if head.len() > 16 * 1024 {
            return Err(OpenError::Http("response head too long".into()));
        }
    };
    let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
    let status = text.lines().next().unwrap_or("").to_owned();
    if !status.starts_with("http/1.1 200") {
        let body = String::from_utf8_lossy(&head[end + 4..]);
        return Err(OpenError::Http(format!("{status}: {}", body.chars().take(200).collect::<String>())));
    }
    if !text.contains("content-type: text/event-stream") {
        return Err(OpenError::Http("not text/event-stream".into()));
    }
    let chunked = text.contains("transfer-encoding: chunked");
    Ok((stream, head[end + 4..].to_vec(), chunked))
}

#[allow(clippy::too_many_arguments)]
async fn client(
    idx: usize,
    addr: SocketAddr,
    request: String,
    gate: Arc<Semaphore>,
    opened: Arc<AtomicUsize>,
    pinged: Arc<AtomicUsize>,
    tx: mpsc::UnboundedSender<Delivery>,
    mut stop: watch::Receiver<bool>,
) {
    let permit = gate.acquire_owned().await.unwrap();
    let (mut stream, rest, chunked) = match tokio::time::timeout(OPEN_TIMEOUT, open(addr, &request)).await {
        Ok(Ok(opened)) => opened,
        Ok(Err(OpenError::Connect(e))) => return ERRORS.record(&ERRORS.connect, 1, format!("client {idx}: {e}")),
        Ok(Err(OpenError::Http(e))) => return ERRORS.record(&ERRORS.http, 1, format!("client {idx}: {e}")),
        Err(_) => return ERRORS.record(&ERRORS.connect, 1, format!("client {idx}: no response head in 30 s")),
    };
    opened.fetch_add(1, Ordering::Relaxed);
    drop(permit);
    let mut body = Body { chunked, raw: Vec::new(), remaining: 0, crlf: false };
    let mut sse = Sse::default();
    let mut plain = Vec::new();
    let mut frames = Vec::new();
    let mut was_pinged = false;
    let mut buf = vec![0u8; 2048];
    let mut input = rest;
    loop {
        let now = Utc::now();
        plain.clear();
        if let Err(e) = body.feed(&input, &mut plain) {
            return ERRORS.record(&ERRORS.stream, 1, format!("client {idx}: {e}"));
        }
        sse.feed(&plain, &mut frames);
        for frame in frames.drain(..) {
            match frame {
                Frame::Comment => {
                    if !was_pinged {
                        was_pinged = true;
                        pinged.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Frame::Event { id, event, data } if event == "timeline" => {
                    let json: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
                    let id = id.and_then(|i| i.parse::<i64>().ok());
                    let created = json["created_at"].as_str().and_then(|t| DateTime::parse_from_rfc3339(t).ok());
                    match (id, created) {
                        (Some(id), Some(created)) if json["id"].as_i64() == Some(id) => {
                            let latency = now.signed_duration_since(created).num_microseconds().unwrap_or(i64::MAX);
                            let _ = tx.send(Delivery {
                                client: idx,
                                id,
                                order_id: json["order_id"].as_str().and_then(|o| o.parse().ok()),
                                status: json["entry"]["status"].as_str().map(str::to_owned),
                                latency_us: latency,
                            });
                        }
                        _ => ERRORS.record(
                            &ERRORS.unexpected,
                            1,
                            format!("client {idx}: malformed timeline event id={id:?} data={data}"),
                        ),
                    }
                }
                Frame::Event { event, data, .. } => {
                    // reset, shutdown, dropped: the stream is over.
                    return ERRORS.record(&ERRORS.stream, 1, format!("client {idx}: event {event}: {data}"));
                }
            }
        }
        tokio::select! {
            biased;
            _ = stop.changed() => return,
            read = stream.read(&mut buf) => match read {
                Ok(0) => return ERRORS.record(&ERRORS.stream, 1, format!("client {idx}: closed by the server")),
                Ok(n) => input = buf[..n].to_vec(),
                Err(e) => return ERRORS.record(&ERRORS.stream, 1, format!("client {idx}: read: {e}")),
            },
        }
    }
}

/// Opens one SSE client per path and waits until all are open (or some failed).
async fn open_fleet(addr: SocketAddr, paths: &[String], token: Option<&str>) -> Fleet {
    let (stop, stop_rx) = watch::channel(false);
    let (tx, events) = mpsc::unbounded_channel();
    let gate = Arc::new(Semaphore::new(OPEN_CONCURRENCY));
    let opened = Arc::new(AtomicUsize::new(0));
    let pinged = Arc::new(AtomicUsize::new(0));
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let started = Instant::now();
    let handles = paths
        .iter()
        .enumerate()
        .map(|(idx, path)| {
            let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{auth}\r\n");
            tokio::spawn(client(
                idx,
                addr,
                request,
                gate.clone(),
                opened.clone(),
                pinged.clone(),
                tx.clone(),
                stop_rx.clone(),
            ))
        })
        .collect::<Vec<_>>();
    let failed_to_open = || ERRORS.connect.load(Ordering::Relaxed) + ERRORS.http.load(Ordering::Relaxed);
    let mut last_report = Instant::now();
    while opened.load(Ordering::Relaxed) + failed_to_open() < paths.len() {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if last_report.elapsed() > Duration::from_secs(2) {
            eprintln!("   {} / {} open", opened.load(Ordering::Relaxed), paths.len());
            last_report = Instant::now();
        }
    }
    let opened_in = started.elapsed();
    eprintln!("   {} open in {:.1} s", opened.load(Ordering::Relaxed), opened_in.as_secs_f64());
    Fleet { handles, stop, events, pinged, opened_in }
}

impl Fleet {
    async fn close(self) {
        let _ = self.stop.send(true);
        for handle in self.handles {
            let _ = handle.await;
        }
    }
}

// ---------------------------------------------------------------- HTTP requests (reqwest)

async fn post(http: &reqwest::Client, token: &str, url: &str, body: &Value) -> Result<Value, String> {
    let res = http.post(url).bearer_auth(token).json(body).send().await.map_err(|e| format!("POST {url}: {e}"))?;
    let status = res.status();
    let text = res.text().await.map_err(|e| format!("POST {url}: {e}"))?;
    if !status.is_success() {
        return Err(format!("POST {url}: {status} {}", text.chars().take(300).collect::<String>()));
    }
    serde_json::from_str(&text).map_err(|e| format!("POST {url}: {e}"))
}

/// Sends every request with `senders` concurrent clients; a failed one is
/// counted and leaves `None`.
async fn post_many(
    http: reqwest::Client,
    token: String,
    requests: Vec<(String, Value)>,
    senders: usize,
) -> Vec<Option<Value>> {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(vec![None; requests.len()]));
    let tasks = (0..senders)
        .map(|_| {
            let (http, token, requests, next, results) =
                (http.clone(), token.clone(), requests.clone(), next.clone(), results.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((url, body)) = requests.get(i) else { return };
                    match post(&http, &token, url, body).await {
                        Ok(value) => results.lock().unwrap()[i] = Some(value),
                        Err(e) => ERRORS.record(&ERRORS.http, 1, e),
                    }
                }
            })
        })
        .collect::<Vec<_>>();
    for task in tasks {
        task.await.unwrap();
    }
    let results = std::mem::take(&mut *results.lock().unwrap());
    results
}

fn order_body(number: &str) -> Value {
    json!({
        "order_number": number,
        "guest": {"email": format!("{}@example.com", number.to_ascii_lowercase()), "name": "Live Shopper"},
        "status": "confirmed",
        "locale": "es",
        "shipping_address": {"name": "Live Shopper", "line1": "1 Bench Street", "city": "Madrid",
                             "postal_code": "28013", "country": "ES"}
    })
}

fn status_body(status: &str) -> Value {
    json!({"status": status, "note": "bench"})
}

// ---------------------------------------------------------------- figures

struct Latencies(Vec<i64>);

impl Latencies {
    fn describe(mut self) -> String {
        self.0.sort_unstable();
        let n = self.0.len();
        if n == 0 {
            return "no deliveries".into();
        }
        let at = |p: usize| self.0[((n * p) / 100).min(n - 1)] as f64 / 1000.0;
        format!(
            "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({n} deliveries)",
            at(50),
            at(99),
            self.0[n - 1] as f64 / 1000.0
        )
    }
}

struct Idle {
    before: u64,
    after: u64,
    opened_in: Duration,
}

impl Idle {
    fn per_connection_kib(&self, n: usize) -> f64 {
        (self.after as f64 - self.before as f64) / n as f64
    }

    fn describe(&self, n: usize) -> String {
        format!(
            "VmRSS {:.1} MiB before, {:.1} MiB holding them: **{:.1} KiB per connection** (opened in {:.1} s)",
            self.before as f64 / 1024.0,
            self.after as f64 / 1024.0,
            self.per_connection_kib(n),
            self.opened_in.as_secs_f64()
        )
    }
}

/// Opens `paths`, holds them past a heartbeat, measures the server's RSS.
async fn hold_idle(s: &Settings, addr: SocketAddr, pid: u32, paths: &[String], token: Option<&str>) -> (Fleet, Idle) {
    let before = rss_kib(pid);
    let fleet = open_fleet(addr, paths, token).await;
    ERRORS.check("opening");
    eprintln!("   holding for {} s", s.hold.as_secs());
    tokio::time::sleep(s.hold).await;
    let after = rss_kib(pid);
    let pinged = fleet.pinged.load(Ordering::Relaxed);
    if pinged < paths.len() {
        ERRORS.record(
            &ERRORS.stream,
            paths.len() - pinged,
            format!("{} clients got no heartbeat in {} s", paths.len() - pinged, s.hold.as_secs()),
        );
    }
    ERRORS.check("holding");
    let opened_in = fleet.opened_in;
    (fleet, Idle { before, after, opened_in })
}

// ---------------------------------------------------------------- phases

/// What each client received so far, checked against what it should get.
struct Tracker {
    /// Per client: the event ids it got, in order.
    got: Vec<Vec<i64>>,
    /// Per client: the order its k-th event must be about and the status it must announce.
    expect: Vec<(Uuid, &'static str)>,
    /// The k-th expected event of each client; per client (b) or per change (a).
    per_client_expect: bool,
    /// How many clients have at least k+1 events.
    at_least: Vec<usize>,
    /// With one order, every client must see the same id for change k.
    change_ids: Vec<Option<i64>>,
    latencies: Vec<i64>,
}

impl Tracker {
    fn record(&mut self, d: Delivery) {
        let log = &mut self.got[d.client];
        let k = log.len();
        let expected =
            if self.per_client_expect { (k == 0).then(|| self.expect[d.client]) } else { self.expect.get(k).copied() };
        if log.contains(&d.id) {
            ERRORS.record(&ERRORS.duplicate, 1, format!("client {} got event {} twice", d.client, d.id));
        } else if log.last().is_some_and(|last| d.id < *last) {
            ERRORS.record(
                &ERRORS.unexpected,
                1,
                format!("client {} got event {} after {:?}", d.client, d.id, log.last()),
            );
        } else if expected.is_none_or(|(order, status)| {
            d.order_id != Some(order)
                || d.status.as_deref() != Some(status)
                || (!self.per_client_expect && self.change_ids[k].is_some_and(|id| id != d.id))
        }) {
            ERRORS.record(
                &ERRORS.unexpected,
                1,
                format!(
                    "client {} event #{k} id {} of {:?} to {:?}, expected {expected:?}",
                    d.client, d.id, d.order_id, d.status
                ),
            );
        } else {
            if !self.per_client_expect {
                self.change_ids[k] = Some(d.id);
            }
            log.push(d.id);
            self.at_least[k] += 1;
            self.latencies.push(d.latency_us);
        }
    }

    /// Records deliveries until `k`+1 events reached every client, or `until`.
    async fn wait_for(
        &mut self,
        events: &mut mpsc::UnboundedReceiver<Delivery>,
        k: usize,
        until: tokio::time::Instant,
    ) {
        while self.at_least[k] < self.got.len() {
            match tokio::time::timeout_at(until, events.recv()).await {
                Ok(Some(d)) => self.record(d),
                _ => return,
            }
        }
    }

    /// Records whatever else arrives for a while (late duplicates, extras).
    async fn linger(&mut self, events: &mut mpsc::UnboundedReceiver<Delivery>, grace: Duration) {
        let until = tokio::time::Instant::now() + grace;
        while let Ok(Some(d)) = tokio::time::timeout_at(until, events.recv()).await {
            self.record(d);
        }
    }

    /// Counts every expected event a client never got.
    fn count_missed(&self, per_client: usize) {
        let missed: usize = self.got.iter().map(|log| per_client.saturating_sub(log.len())).sum();
        if missed > 0 {
            let clients = self.got.iter().filter(|log| log.len() < per_client).count();
            ERRORS.record(&ERRORS.missed, missed, format!("{missed} events never reached {clients} clients"));
        }
    }
}

/// (b): one change per order, each order followed by one client.
async fn one_change_per_order(
    s: &Settings,
    http: &reqwest::Client,
    fleet: &mut Fleet,
    orders: &[Uuid],
) -> (Latencies, String) {
    let mut tracker = Tracker {
        got: vec![Vec::new(); orders.len()],
        expect: orders.iter().map(|o| (*o, "processing")).collect(),
        per_client_expect: true,
        at_least: vec![0],
        change_ids: vec![None],
        latencies: Vec::with_capacity(orders.len()),
    };
    let requests = orders
        .iter()
        .map(|id| (format!("{}/api/v1/orders/{id}/status", s.api_url), status_body("processing")))
        .collect();
    let started = Instant::now();
    let mut sends = tokio::spawn(post_many(http.clone(), s.admin.clone(), requests, s.senders));
    loop {
        tokio::select! {
            sent = &mut sends => { sent.unwrap(); break; }
            Some(d) = fleet.events.recv() => tracker.record(d),
        }
    }
    let sent_in = started.elapsed().as_secs_f64();
    eprintln!("   {} changes sent in {sent_in:.1} s; {} delivered so far", orders.len(), tracker.at_least[0]);
    if ERRORS.total() == 0 {
        tracker.wait_for(&mut fleet.events, 0, tokio::time::Instant::now() + DELIVERY_TIMEOUT).await;
    }
    tracker.linger(&mut fleet.events, s.grace).await;
    tracker.count_missed(1);
    let rate = format!("{} changes sent in {sent_in:.1} s ({:.0}/s)", orders.len(), orders.len() as f64 / sent_in);
    (Latencies(tracker.latencies), rate)
}

/// (a): `changes` changes of one order, each awaited at every client.
async fn changes_of_one_order(
    s: &Settings,
    http: &reqwest::Client,
    fleet: &mut Fleet,
    order: Uuid,
    clients: usize,
) -> Latencies {
    let targets: Vec<(Uuid, &'static str)> =
        (0..s.changes).map(|k| (order, if k % 2 == 0 { "on_hold" } else { "processing" })).collect();
    let mut tracker = Tracker {
        got: vec![Vec::new(); clients],
        expect: targets.clone(),
        per_client_expect: false,
        at_least: vec![0; s.changes],
        change_ids: vec![None; s.changes],
        latencies: Vec::with_capacity(clients * s.changes),
    };
    let url = format!("{}/api/v1/orders/{order}/status", s.api_url);
    for (k, (_, status)) in targets.iter().enumerate() {
        if let Err(e) = post(http, &s.admin, &url, &status_body(status)).await {
            ERRORS.record(&ERRORS.http, 1, e);
            break;
        }
        tracker.wait_for(&mut fleet.events, k, tokio::time::Instant::now() + DELIVERY_TIMEOUT).await;
        if tracker.at_least[k] < clients || ERRORS.total() > 0 {
            eprintln!("   change {k}: {} of {clients} clients got it", tracker.at_least[k]);
            break;
        }
    }
    tracker.linger(&mut fleet.events, s.grace).await;
    tracker.count_missed(s.changes);
    Latencies(tracker.latencies)
}

#[tokio::main]
async fn main() {
    let s = Settings::from_env();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let started = Instant::now();
    let n = s.clients;

    eprintln!("== 1. bare actix-web SSE server: {n} idle connections");
    let paths: Vec<String> = (0..n).map(|_| format!("/api/v1/orders/{}/events", Uuid::new_v4())).collect();
    let (fleet, bare) = hold_idle(&s, s.bare, s.bare_pid, &paths, None).await;
    fleet.close().await;

    eprintln!("== creating {} orders (service token, {} senders)", n + 1, s.senders);
    let requests =
        (0..=n).map(|i| (format!("{}/api/v1/orders", s.api_url), order_body(&format!("LIVE-{i}")))).collect();
    let created = post_many(http.clone(), s.service.clone(), requests, s.senders).await;
    ERRORS.check("creating orders");
    let ids: Vec<Uuid> = created.iter().map(|o| o.as_ref().unwrap()["id"].as_str().unwrap().parse().unwrap()).collect();
    let (one, orders) = ids.split_last().unwrap();
    post(&http, &s.admin, &format!("{}/api/v1/orders/{one}/status", s.api_url), &status_body("processing"))
        .await
        .unwrap_or_else(|e| {
            ERRORS.record(&ERRORS.http, 1, e);
            ERRORS.check("moving the fan-out order to processing");
            unreachable!()
        });

    eprintln!("== 1. ordertrack api: {n} idle order streams (admin token, one order each)");
    let paths: Vec<String> = orders.iter().map(|id| format!("/api/v1/orders/{id}/events")).collect();
    let (mut fleet, api) = hold_idle(&s, s.api, s.api_pid, &paths, Some(&s.admin)).await;

    eprintln!("== 2b. one change on each of {n} orders, {} senders", s.senders);
    let (spread, rate) = one_change_per_order(&s, &http, &mut fleet, orders).await;
    ERRORS.check("2b");
    fleet.close().await;

    let m = s.fanout_clients;
    eprintln!("== 2a. {m} clients on one order, {} changes", s.changes);
    let paths: Vec<String> = (0..m).map(|_| format!("/api/v1/orders/{one}/events")).collect();
    let mut fleet = open_fleet(s.api, &paths, Some(&s.admin)).await;
    ERRORS.check("opening 2a");
    let fanout = changes_of_one_order(&s, &http, &mut fleet, *one, m).await;
    ERRORS.check("2a");
    fleet.close().await;

    let ratio = api.per_connection_kib(n) / bare.per_connection_kib(n);
    let verdict = if ratio <= 2.0 { "within" } else { "NOT within" };
    println!("| measure | result |");
    println!("|---|---|");
    println!("| bare actix-web SSE server (`bench_bare_sse`): {n} idle connections | {} |", bare.describe(n));
    println!(
        "| ordertrack api: {n} idle `GET /api/v1/orders/{{id}}/events` (admin token, one order each) | {} |",
        api.describe(n)
    );
    println!("| RSS per connection, ordertrack / bare | {ratio:.2}x ({verdict} the 2x goal) |");
    println!(
        "| publish to delivery, {m} clients on one order, {} changes (each awaited by all) | {} |",
        s.changes,
        fanout.describe()
    );
    println!(
        "| publish to delivery, {n} clients on {n} orders, one change each ({} HTTP senders) | {}; {rate} |",
        s.senders,
        spread.describe()
    );
    println!("| errors | {} |", ERRORS.summary());
    eprintln!("bench_live done in {:.0} s", started.elapsed().as_secs_f64());
}
