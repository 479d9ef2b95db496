//! Notifications delivered per second end to end, per channel, through the
//! fake providers (SMTP sink, Twilio-compatible gateway, FCM), and no-op jobs
//! per second through one worker, so the queue's own overhead is visible.
//! The templates are stored versions (as once the console has opened them),
//! and each channel runs with the worker's caches and without them
//! (`CACHE_TTL_MS` 0: every send reads and compiles its version).
//! Run by `bench/notifications` (release build); prints a Markdown table row set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use ordertrack_shared::domain::Locale;
use ordertrack_shared::domain::{Channel, NotificationEvent, NotificationStatus, Platform};
use ordertrack_shared::jobs::{Enqueuer, MaintenanceJob, Queue, SendNotification};
use ordertrack_shared::metrics::JOBS_PROCESSED;
use ordertrack_shared::models::{DeviceToken, NewNotification, Notification, TemplateVersion};
use ordertrack_tests::{customer_order, eventually, Options, TestApp, REDIS_URL};
use tokio::sync::watch;
use uuid::Uuid;

const PER_CHANNEL: usize = 2000;
const PINGS: usize = 10_000;

async fn sent(app: &TestApp, order_id: Uuid, channel: Channel) -> usize {
    let rows = app.notifications(order_id).await;
    rows.iter()
        .filter(|n| {
            n.channel == channel && n.status == NotificationStatus::Sent && n.event == NotificationEvent::Custom
        })
        .count()
}

async fn run_worker_until<F, Fut>(app: &TestApp, queues: Vec<Queue>, cache_ttl: Duration, done: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let mut config = app.worker_config.clone();
    config.queues = queues;
    config.concurrency_normal = 16;
    config.concurrency_bulk = 16;
    config.concurrency_maintenance = 16;
    config.store.database_pool_size = 16;
    config.store.cache_ttl = cache_ttl;
    let (stop, shutdown) = watch::channel(false);
    let started = Instant::now();
    let worker = tokio::spawn(ordertrack_worker::run(config, shutdown));
    assert!(eventually(Duration::from_secs(300), done).await, "did not finish");
    let elapsed = started.elapsed();
    let _ = stop.send(true);
    let _ = worker.await;
    elapsed
}

#[tokio::main]
async fn main() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let order = app.create_order(&customer_order("SO-BENCH", "bench")).await;
    let order_id: Uuid = order["id"].as_str().unwrap().parse().unwrap();
    let customer_id: Uuid = order["customer_id"].as_str().unwrap().parse().unwrap();
    let enqueuer = Enqueuer::new(REDIS_URL, &app.namespace, Duration::from_secs(5)).unwrap();
    let mut conn = app.db.get().await.unwrap();
    let device =
        DeviceToken::register(&mut conn, customer_id, "fcm-bench-device-token-000000000000", Platform::Android)
            .await
            .unwrap();
    drop(conn);

    let mut conn = app.db.get().await.unwrap();
    let renderer = ordertrack_shared::templates::Renderer::from_dir(&app.worker_config.templates_dir).unwrap();
    for channel in [Channel::Email, Channel::Sms, Channel::Push] {
        let file = renderer.file_parts(NotificationEvent::Custom, channel.as_str(), Locale::Es).unwrap();
        let version = TemplateVersion {
            id: Uuid::now_v7(),
            event: NotificationEvent::Custom,
            channel,
            locale: Locale::Es,
            version: 1,
            subject: file.subject,
            body: file.body,
            html: file.html,
            comment: "bench".into(),
            created_by: "bench".into(),
            created_at: chrono::Utc::now(),
            active: true,
        };
        version.insert(&mut conn).await.unwrap();
    }
    drop(conn);

    println!("| measure | result |");
    println!("|---|---|");
    let runs = [Channel::Email, Channel::Sms, Channel::Push]
        .into_iter()
        .flat_map(|channel| [(channel, true), (channel, false)]);
    for (round, (channel, cached)) in runs.enumerate() {
        let conn = app.db.get().await.unwrap();
        let mut rows: Vec<Notification> = Vec::with_capacity(PER_CHANNEL);
        for i in 0..PER_CHANNEL {
            let recipient = match channel {
                Channel::Email => format!("shopper{i}@example.com"),
                Channel::Sms => format!("+3460{:07}", i),
                Channel::Push => device.id.to_string(),
            };
            let mut row = NewNotification::for_order(
                order_id,
                &format!("bench-{round}-{i}"),
                NotificationEvent::Custom,
                channel,
                recipient,
                Locale::Es,
            )
            .payload(serde_json::json!({"message": "Tu pedido llega mañana"}));
            if channel == Channel::Push {
                row = row.device(device.id);
            }
            rows.push(row.insert_once(&conn).await.unwrap().unwrap());
        }
        drop(conn);
        for row in &rows {
            enqueuer.push(row.queue, SendNotification { notification_id: row.id }, None).await.unwrap();
        }
        let before = sent(&app, order_id, channel).await;
        let cache_ttl = if cached { Duration::from_secs(60) } else { Duration::ZERO };
        let elapsed = run_worker_until(&app, vec![Queue::NotificationsBulk], cache_ttl, || async {
            sent(&app, order_id, channel).await == before + PER_CHANNEL
        })
        .await;
        let caches = if cached { "cached template" } else { "no cache: read + compile per send" };
        println!(
            "| {channel} notifications delivered end to end (stored template, {caches}; render, provider call, attempt row; 1 worker, concurrency 16) | {:.0}/s ({PER_CHANNEL} in {:.2} s) |",
            PER_CHANNEL as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64()
        );
    }

    for i in 0..PINGS {
        enqueuer.push(Queue::Maintenance, MaintenanceJob::Ping { sent_at_ms: i as i64 }, None).await.unwrap();
    }
    let counter = JOBS_PROCESSED.with_label_values(&["maintenance", "ping", "ok"]);
    let before = counter.get();
    let elapsed = run_worker_until(&app, vec![Queue::Maintenance], Duration::from_secs(60), || async {
        counter.get() - before >= PINGS as u64
    })
    .await;
    println!(
        "| no-op jobs through one worker (apalis-redis fetch + ack only; concurrency 16) | {:.0}/s ({PINGS} in {:.2} s) |",
        PINGS as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    app.stop().await;
}
