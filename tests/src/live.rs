//! Clients for the live order updates (issue 11): a Server-Sent Events reader
//! over reqwest, a WebSocket client over tokio-tungstenite, and a private
//! `redis-server` a test may kill and restart without touching the shared one.

use std::collections::VecDeque;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::stream::{BoxStream, SplitSink};
use futures::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// One dispatched SSE event.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    /// The `id:` field of this event (none for `reset`, `shutdown`, `dropped`).
    pub id: Option<i64>,
    /// The `event:` field (`message` when absent, as a browser reports it).
    pub event: String,
    /// The `data:` lines joined, parsed as JSON (a JSON string when they are not JSON).
    pub data: Value,
}

impl SseEvent {
    /// The `kind` of a timeline event.
    pub fn kind(&self) -> &str {
        self.data["kind"].as_str().unwrap_or_default()
    }
}

/// A Server-Sent Events stream read incrementally, as a browser's
/// `EventSource` would (without reconnecting by itself).
pub struct SseStream {
    body: Option<BoxStream<'static, reqwest::Result<Vec<u8>>>>,
    buffer: Vec<u8>,
    ready: VecDeque<SseEvent>,
    id: Option<String>,
    event: Option<String>,
    data: Vec<String>,
    /// Every comment line seen so far (`: ping` gives "ping").
    pub comments: Vec<String>,
    /// The last `retry:` field seen, in milliseconds.
    pub retry: Option<u64>,
    /// The `Content-Type` of the answer.
    pub content_type: Option<String>,
    /// A refused connection's JSON body (`Value::Null` when it had none).
    pub error: Value,
    /// Timeline events recorded before this instant are skipped.
    skip_before: Option<DateTime<Utc>>,
}

/// When an event JSON was recorded (its `created_at`).
pub fn recorded_at(event: &Value) -> Option<DateTime<Utc>> {
    let text = event["created_at"].as_str()?;
    DateTime::parse_from_rfc3339(text).ok().map(|at| at.with_timezone(&Utc))
}

impl SseStream {
    /// Opens `url` with `Accept: text/event-stream`, optionally with a bearer
    /// token and a `Last-Event-ID` header. A non-2xx answer gives an ended
    /// stream whose `error` is the answer's body.
    pub async fn connect(url: &str, bearer: Option<&str>, last_event_id: Option<i64>) -> (StatusCode, SseStream) {
        let mut request = reqwest::Client::new().get(url);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        Self::open(request).await
    }

    /// Opens the stream with any request (extra headers, another client).
    pub async fn open(request: reqwest::RequestBuilder) -> (StatusCode, SseStream) {
        let response = request.header("Accept", "text/event-stream").send().await.expect("connect to the event stream");
        let status = response.status();
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(|v| v.to_owned());
        let mut stream = SseStream {
            body: None,
            buffer: Vec::new(),
            ready: VecDeque::new(),
            id: None,
            event: None,
            data: Vec::new(),
            comments: Vec::new(),
            retry: None,
            content_type,
            error: Value::Null,
            skip_before: None,
        };
        if status.is_success() {
            stream.body = Some(response.bytes_stream().map(|chunk| chunk.map(|bytes| bytes.to_vec())).boxed());
        } else {
            let text = response.text().await.unwrap_or_default();
            stream.error = serde_json::from_str(&text).unwrap_or(Value::String(text));
        }
        (status, stream)
    }

    /// From now on, skips timeline events recorded before `at`. An event id
    /// is given after its transaction commits, so a change made just before
    /// a client connected may still reach it live; a test that expects only
    /// what it does after `at` says so with this.
    pub fn skip_recorded_before(&mut self, at: DateTime<Utc>) {
        self.skip_before = Some(at);
    }

    /// The next event, or `None` when `timeout` passes first or the stream ends.
    pub async fn next_event(&mut self, timeout: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            if !self.read_until(deadline).await {
                return None;
            }
        }
    }

    /// The next timeline event of `kind`, skipping events of other kinds (but
    /// not special events such as `reset`, which fail the wait).
    pub async fn next_of_kind(&mut self, kind: &str, timeout: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + timeout;
        loop {
            let event = self.next_event(deadline.saturating_duration_since(Instant::now())).await?;
            if event.event != "timeline" {
                panic!("waiting for a {kind} event, got a special event: {event:?}");
            }
            if event.kind() == kind {
                return Some(event);
            }
        }
    }

    /// Reads until at least `count` comments have arrived in all, or `timeout`
    /// passes; returns how many have arrived. Events read meanwhile are kept.
    pub async fn wait_for_comments(&mut self, count: usize, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        while self.comments.len() < count {
            if !self.read_until(deadline).await {
                break;
            }
        }
        self.comments.len()
    }

    /// Whether the server has closed the stream (or it was refused).
    pub fn ended(&self) -> bool {
        self.body.is_none()
    }

    /// Reads one chunk; false when the deadline passed or the stream ended.
    async fn read_until(&mut self, deadline: Instant) -> bool {
        let Some(body) = self.body.as_mut() else {
            return false;
        };
        match tokio::time::timeout_at(deadline, body.next()).await {
            Err(_) => false,
            Ok(Some(Ok(chunk))) => {
                self.feed(&chunk);
                true
            }
            Ok(None) | Ok(Some(Err(_))) => {
                self.body = None;
                false
            }
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        self.buffer.extend_from_slice(chunk);
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8(line).expect("an SSE stream is UTF-8");
            self.line(&line);
        }
    }

    fn line(&mut self, line: &str) {
        if line.is_empty() {
            self.dispatch();
            return;
        }
        if let Some(comment) = line.strip_prefix(':') {
            self.comments.push(comment.trim().to_owned());
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "id" => self.id = Some(value.to_owned()),
            "event" => self.event = Some(value.to_owned()),
            "data" => self.data.push(value.to_owned()),
            "retry" => self.retry = value.parse().ok(),
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        let id = self.id.take();
        let event = self.event.take();
        let data = std::mem::take(&mut self.data);
        if data.is_empty() && event.is_none() {
            return;
        }
        let text = data.join("\n");
        let event = SseEvent {
            id: id.map(|id| id.parse().unwrap_or_else(|_| panic!("a non-numeric event id: {id:?}"))),
            event: event.unwrap_or_else(|| "message".to_owned()),
            data: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        };
        if let (Some(skip_before), Some(at)) = (self.skip_before, recorded_at(&event.data)) {
            if event.event == "timeline" && at < skip_before {
                return;
            }
        }
        self.ready.push_back(event);
    }
}

type WsSink = SplitSink<WebSocketStream<MaybeTlsStream<TcpStream>>, Message>;

/// A WebSocket client on `/api/v1/ws`. A background task reads the socket all
/// the time, so the server's pings are answered (tungstenite replies on read)
/// even while the test is busy elsewhere; text frames are parsed as JSON and
/// queued. A close frame is queued as `{"type": "_closed", "code": ..}`.
pub struct WsClient {
    sink: WsSink,
    incoming: mpsc::UnboundedReceiver<Value>,
    pings: Arc<AtomicUsize>,
    reader: JoinHandle<()>,
    skip_before: Option<DateTime<Utc>>,
}

impl WsClient {
    /// Connects to `url` (`http://` becomes `ws://`), optionally with a bearer
    /// token and an `Origin` header. `Err` holds a refused upgrade's status.
    pub async fn connect(url: &str, bearer: Option<&str>, origin: Option<&str>) -> Result<WsClient, u16> {
        let url = url.replacen("http://", "ws://", 1);
        let mut request = url.as_str().into_client_request().expect("a WebSocket URL");
        if let Some(token) = bearer {
            let value = HeaderValue::from_str(&format!("Bearer {token}")).expect("a header value");
            request.headers_mut().insert("authorization", value);
        }
        if let Some(origin) = origin {
            request.headers_mut().insert("origin", HeaderValue::from_str(origin).expect("a header value"));
        }
        let socket = match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => socket,
            Err(WsError::Http(response)) => return Err(response.status().as_u16()),
            Err(other) => panic!("WebSocket connect to {url}: {other}"),
        };
        let (sink, mut stream) = socket.split();
        let (tx, incoming) = mpsc::unbounded_channel();
        let pings = Arc::new(AtomicUsize::new(0));
        let counter = pings.clone();
        let reader = tokio::spawn(async move {
            while let Some(message) = stream.next().await {
                match message {
                    Ok(Message::Text(text)) => {
                        let value =
                            serde_json::from_str(text.as_str()).unwrap_or_else(|_| Value::String(text.to_string()));
                        if tx.send(value).is_err() {
                            return;
                        }
                    }
                    Ok(Message::Ping(_)) => {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(Message::Close(frame)) => {
                        let code = frame.map(|f| u16::from(f.code));
                        let _ = tx.send(json!({"type": "_closed", "code": code}));
                        return;
                    }
                    Ok(_) => {}
                    Err(_) => return,
                }
            }
        });
        Ok(WsClient { sink, incoming, pings, reader, skip_before: None })
    }

    /// Sends one JSON text frame.
    pub async fn send(&mut self, message: Value) {
        self.sink.send(Message::text(message.to_string())).await.expect("send a WebSocket frame");
    }

    /// From now on, skips events recorded before `at` (see
    /// [`SseStream::skip_recorded_before`]).
    pub fn skip_recorded_before(&mut self, at: DateTime<Utc>) {
        self.skip_before = Some(at);
    }

    /// The next message, or `None` when `timeout` passes or the socket closed.
    pub async fn next(&mut self, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let message = tokio::time::timeout_at(deadline, self.incoming.recv()).await.ok().flatten()?;
            if let (Some(skip_before), Some(at)) = (self.skip_before, recorded_at(&message["event"])) {
                if message["type"] == "event" && at < skip_before {
                    continue;
                }
            }
            return Some(message);
        }
    }

    /// The next message of `type`, skipping `event` messages of no interest
    /// (other types fail the wait: an `error` should be seen).
    pub async fn next_of_type(&mut self, kind: &str, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let message = self.next(deadline.saturating_duration_since(Instant::now())).await?;
            if message["type"] == kind {
                return Some(message);
            }
            if message["type"] != "event" {
                panic!("waiting for a {kind} message, got {message}");
            }
        }
    }

    /// The event JSON of the next `event` message whose event is of `kind`.
    pub async fn next_event_of_kind(&mut self, kind: &str, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let message = self.next_of_type("event", deadline.saturating_duration_since(Instant::now())).await?;
            if message["event"]["kind"] == kind {
                return Some(message["event"].clone());
            }
        }
    }

    /// Subscribes (`target` is `{"order_id": ..}` or `{"tracking_code": ..}`)
    /// and returns the answer (`subscribed` or `error`).
    pub async fn subscribe(&mut self, target: Value) -> Value {
        let mut message = json!({"type": "subscribe"});
        for (key, value) in target.as_object().expect("a JSON object").iter() {
            message[key] = value.clone();
        }
        self.send(message).await;
        self.next(Duration::from_secs(5)).await.expect("an answer to subscribe")
    }

    /// WebSocket pings received from the server so far.
    pub fn pings(&self) -> usize {
        self.pings.load(Ordering::SeqCst)
    }
}

impl Drop for WsClient {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// A free TCP port on loopback (nothing listens there once this returns).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// `n` distinct free loopback ports that `usable` also accepts.
pub fn free_ports(n: usize, usable: impl Fn(u16) -> bool) -> Vec<u16> {
    let mut ports = Vec::new();
    while ports.len() < n {
        let port = free_port();
        if !ports.contains(&port) && usable(port) {
            ports.push(port);
        }
    }
    ports
}

/// One command on a fresh connection to the Redis process (server or
/// sentinel) on `port`; `None` if it does not answer within a second.
pub async fn redis_query<T: redis::FromRedisValue>(port: u16, cmd: &redis::Cmd) -> Option<T> {
    let client = redis::Client::open(format!("redis://127.0.0.1:{port}")).ok()?;
    let ask = async move {
        let mut conn = client.get_multiplexed_async_connection().await.ok()?;
        cmd.query_async::<T>(&mut conn).await.ok()
    };
    tokio::time::timeout(std::time::Duration::from_secs(1), ask).await.ok().flatten()
}

/// A `redis-server` of the test's own, on a free port, without persistence:
/// a test may kill and restart it while others share the Redis on 6379.
/// Killed when dropped.
pub struct RedisServer {
    pub port: u16,
    child: Option<Child>,
}

impl RedisServer {
    pub async fn start() -> RedisServer {
        let mut server = RedisServer { port: free_port(), child: None };
        server.restart().await;
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// SIGKILL: no goodbye to its clients, as in a crash.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// (Re)starts it on the same port, empty; returns once it answers PING.
    pub async fn restart(&mut self) {
        self.kill();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server (is it installed? scripts/services installs it)");
        self.child = Some(child);
        let client = redis::Client::open(self.url()).expect("redis url");
        // Waits for a process to start listening: only a broken install
        // waits out the deadline, so it is generous for a loaded machine.
        let up = crate::eventually(Duration::from_secs(60), || {
            let client = client.clone();
            async move {
                match client.get_multiplexed_async_connection().await {
                    Ok(mut conn) => redis::cmd("PING").query_async::<String>(&mut conn).await.is_ok(),
                    Err(_) => false,
                }
            }
        })
        .await;
        assert!(up, "redis-server on port {} did not answer PING", self.port);
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
