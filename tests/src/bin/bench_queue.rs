//! ordertrack's side of `bench/queue`: N no-op jobs (maintenance `Ping`)
//! through one worker at the given concurrency, on the Redis the harness
//! uses, timed from the worker's start to the last job counted (the jobs are
//! queued first, as in the BullMQ peer `bench/bullmq/noop.mjs`). Prints one
//! JSON line; exits non-zero when any job failed or the run timed out.
//!
//!   bench_queue --jobs 10000 --concurrency 16 [--fetch-batch N]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ordertrack_shared::jobs::{Enqueuer, MaintenanceJob, Queue};
use ordertrack_shared::metrics::JOBS_PROCESSED;
use ordertrack_tests::{Options, TestApp, REDIS_URL};
use tokio::sync::watch;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| v.parse().unwrap_or_else(|_| panic!("{name} takes a number")))
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> ExitCode {
    let (jobs, concurrency) = (arg("--jobs", 10_000), arg("--concurrency", 16));
    // The worker's default (`WORKER_FETCH_BATCH` unset) unless given.
    let fetch_batch = std::env::args().any(|a| a == "--fetch-batch").then(|| arg("--fetch-batch", 0));
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let enqueuer = Enqueuer::new(REDIS_URL, &app.namespace, Duration::from_secs(5)).unwrap();
    for i in 0..jobs {
        enqueuer.push(Queue::Maintenance, MaintenanceJob::Ping { sent_at_ms: i as i64 }, None).await.unwrap();
    }

    let mut config = app.worker_config.clone();
    config.queues = vec![Queue::Maintenance];
    config.concurrency_maintenance = concurrency;
    config.fetch_batch = fetch_batch;
    let fetch_batch = config.fetch_batch(Queue::Maintenance);
    let [ok, failed] =
        ["ok", "error"].map(|outcome| JOBS_PROCESSED.with_label_values(&["maintenance", "ping", outcome]));
    let (stop, shutdown) = watch::channel(false);
    let started = Instant::now();
    let worker = tokio::spawn(ordertrack_worker::run(config, shutdown));
    // A tight poll: the harness' 20 ms `eventually` would blur a one-second run.
    while ok.get() + failed.get() < jobs as u64 && started.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = stop.send(true);
    let _ = worker.await;
    app.stop().await;

    let (completed, failed) = (ok.get(), failed.get());
    println!(
        "{{\"jobs\":{jobs},\"concurrency\":{concurrency},\"fetch_batch\":{fetch_batch},\"completed\":{completed},\"failed\":{failed},\"seconds\":{seconds},\"rate\":{}}}",
        completed as f64 / seconds
    );
    if completed == jobs as u64 && failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
