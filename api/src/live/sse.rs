//! Server-Sent Events: one task per client writes the stream: a `retry:`
//! hint, the events missed since `Last-Event-ID` (from Postgres), then live
//! events from the hub, with a heartbeat comment so dead connections are
//! noticed, and a last event when the client is dropped or the server stops.

use std::convert::Infallible;
use std::sync::Arc;

use actix_web::web::Bytes;
use actix_web::HttpResponse;
use ordertrack_shared::db::DbPool;
use ordertrack_shared::domain::Locale;
use ordertrack_shared::metrics::STREAM_DELIVERY;
use tokio::sync::mpsc;

use super::event::LiveEvent;
use super::hub::{Follow, Subscription};
use super::replay::{missed, Missed};

/// Frames queued between the writer task and the socket.
const SOCKET_BUFFER: usize = 16;

/// What the stream shows and from where it resumes.
pub struct StreamPlan {
    pub follow: Follow,
    /// Staff see staff-only events and internal fields.
    pub staff: bool,
    /// Resume after this event id (`Last-Event-ID`).
    pub resume_after: Option<i64>,
    /// The language of the entries; `None`: each order's.
    pub locale: Option<Locale>,
}

/// The `text/event-stream` response for a registered client.
pub fn respond(subscription: Subscription, plan: StreamPlan, db: DbPool) -> HttpResponse {
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(SOCKET_BUFFER);
    actix_web::rt::spawn(write(subscription, plan, db, tx));
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-store"))
        // Tell nginx-like proxies not to buffer the stream.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(tokio_stream_from(rx))
}

fn tokio_stream_from(
    mut rx: mpsc::Receiver<Result<Bytes, Infallible>>,
) -> impl futures::Stream<Item = Result<Bytes, Infallible>> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

fn event_frame(id: i64, json: &str) -> Bytes {
    Bytes::from(format!("id: {id}\nevent: timeline\ndata: {json}\n\n"))
}

fn control_frame(name: &str, reason: &str) -> Bytes {
    Bytes::from(format!("event: {name}\ndata: {{\"reason\":\"{reason}\"}}\n\n"))
}

/// Why a write loop ended early: the client went away.
struct Gone;

async fn send(tx: &mpsc::Sender<Result<Bytes, Infallible>>, frame: Bytes) -> Result<(), Gone> {
    tx.send(Ok(frame)).await.map_err(|_| Gone)
}

async fn write(
    mut sub: Subscription,
    plan: StreamPlan,
    db: DbPool,
    tx: mpsc::Sender<Result<Bytes, Infallible>>,
) -> Result<(), Gone> {
    let hub = sub.hub().clone();
    let mut shutdown = hub.shutdown_signal();
    let retry_ms = hub.config().heartbeat.as_millis().clamp(1_000, 3_000);
    send(&tx, Bytes::from(format!("retry: {retry_ms}\n\n"))).await?;
    let mut last_sent = sub.position;
    if let Some(after) = plan.resume_after {
        match missed(&db, &plan.follow, plan.staff, after, sub.position).await {
            Missed::Events(events) => {
                for event in events {
                    if let Some(json) = event.json_for(plan.staff, plan.locale) {
                        send(&tx, event_frame(event.id, json)).await?;
                    }
                }
            }
            Missed::Reset(reason) => send(&tx, control_frame("reset", reason)).await?,
        }
        // A client ahead of this replica (it was on a faster one) skips what it has.
        last_sent = last_sent.max(after);
    }
    let mut heartbeat = tokio::time::interval(hub.config().heartbeat);
    heartbeat.tick().await;
    loop {
        tokio::select! {
            event = sub.events.recv() => match event {
                Some(event) if event.id > last_sent => {
                    if let Some(json) = event.json_for(plan.staff, plan.locale) {
                        send(&tx, event_frame(event.id, json)).await?;
                        observe_delivery(&event);
                    }
                    last_sent = event.id;
                }
                Some(_) => {}
                None => {
                    if sub.was_dropped() {
                        let _ = send(&tx, control_frame("dropped", "too_slow")).await;
                    }
                    return Ok(());
                }
            },
            _ = heartbeat.tick() => send(&tx, Bytes::from_static(b": ping\n\n")).await?,
            _ = shutdown.wait_for(|stop| *stop) => {
                let _ = send(&tx, control_frame("shutdown", "server_shutdown")).await;
                return Ok(());
            }
        }
    }
}

fn observe_delivery(event: &Arc<LiveEvent>) {
    let latency = chrono::Utc::now() - event.created_at;
    STREAM_DELIVERY.observe(latency.num_microseconds().unwrap_or(0).max(0) as f64 / 1e6);
}
