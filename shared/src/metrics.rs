//! Prometheus metrics shared by every process. Each process serves the default
//! registry at `/metrics`.
// Metric names and labels are constants: a failure to build one is a
// programming error that the first test run shows.
#![allow(clippy::expect_used)]

use std::sync::LazyLock;

use prometheus::{
    Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

pub static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::new);

fn counter(name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let metric = IntCounterVec::new(Opts::new(name, help), labels).expect("valid counter");
    REGISTRY.register(Box::new(metric.clone())).expect("unique counter");
    metric
}

fn histogram(name: &str, help: &str, labels: &[&str], buckets: Vec<f64>) -> HistogramVec {
    let metric = HistogramVec::new(HistogramOpts::new(name, help).buckets(buckets), labels).expect("valid histogram");
    REGISTRY.register(Box::new(metric.clone())).expect("unique histogram");
    metric
}

const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

pub static HTTP_REQUESTS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter("http_requests_total", "HTTP requests by route and status", &["method", "route", "status"])
});

pub static HTTP_DURATION: LazyLock<HistogramVec> = LazyLock::new(|| {
    histogram(
        "http_request_duration_seconds",
        "HTTP request latency by route and status",
        &["method", "route", "status"],
        LATENCY_BUCKETS.to_vec(),
    )
});

pub static JOBS_ENQUEUED: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter("jobs_enqueued_total", "Jobs pushed to Redis by queue, job and result", &["queue", "job", "result"])
});

pub static JOBS_PROCESSED: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter("jobs_processed_total", "Jobs run by queue, job and outcome", &["queue", "job", "outcome"])
});

pub static CACHE_LOOKUPS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter(
        "cache_lookups_total",
        "Lookups in the per-process caches (templates, workflow, preferences) by outcome: hit or miss",
        &["cache", "outcome"],
    )
});

pub static JOB_DURATION: LazyLock<HistogramVec> = LazyLock::new(|| {
    histogram("job_duration_seconds", "Job run time by queue and job", &["queue", "job"], LATENCY_BUCKETS.to_vec())
});

pub static NOTIFICATION_ATTEMPTS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter(
        "notification_attempts_total",
        "Notification delivery attempts by channel and outcome",
        &["channel", "outcome"],
    )
});

/// The at-least-once window: from a provider accepting a message to the
/// commit of that outcome. A worker killed inside it sends the message again
/// once the claim's lease runs out (docs/ARCHITECTURE.md, delivery guarantees).
pub static OUTCOME_WINDOW: LazyLock<HistogramVec> = LazyLock::new(|| {
    histogram(
        "notification_outcome_window_seconds",
        "From the provider's answer to the commit of the outcome, by channel",
        &["channel"],
        LATENCY_BUCKETS.to_vec(),
    )
});

/// Requests per grouped statement of the worker (`group_write`): `claims`,
/// `orders` (the orders messages are about, read) and `sends`. Near 1 when
/// idle; under load, how many jobs share a statement (and a commit).
pub static GROUP_WRITE_BATCH: LazyLock<HistogramVec> = LazyLock::new(|| {
    histogram(
        "worker_group_write_batch_size",
        "Requests written together by one grouped statement, by write",
        &["write"],
        vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0],
    )
});

/// Every refused request (401, 403, 429, rejected webhooks) by audit action,
/// and whether it wrote its audit row (`written`) or was only counted because
/// its IP, actor and reason already had one in the window (`suppressed`).
pub static SECURITY_REFUSALS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter(
        "security_refusals_total",
        "Refused requests by audit action and whether a row was written",
        &["action", "audit"],
    )
});

pub static SCHEDULER_TICKS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter(
        "scheduler_ticks_total",
        "Scheduler ticks by schedule and whether this instance won them",
        &["schedule", "result"],
    )
});

pub static STREAM_CLIENTS: LazyLock<IntGaugeVec> = LazyLock::new(|| {
    let metric = IntGaugeVec::new(Opts::new("stream_clients", "Connected live-update clients by kind"), &["kind"])
        .expect("valid gauge");
    REGISTRY.register(Box::new(metric.clone())).expect("unique gauge");
    metric
});

fn plain_counter(name: &str, help: &str) -> IntCounter {
    let metric = IntCounter::new(name, help).expect("valid counter");
    REGISTRY.register(Box::new(metric.clone())).expect("unique counter");
    metric
}

pub static STREAM_EVENTS_PUBLISHED: LazyLock<IntCounter> = LazyLock::new(|| {
    plain_counter("stream_events_published_total", "Commits that announced new order events on Redis")
});

pub static STREAM_EVENTS_DELIVERED: LazyLock<IntCounter> =
    LazyLock::new(|| plain_counter("stream_events_delivered_total", "Order events handed to live-update clients"));

pub static STREAM_DROPPED: LazyLock<IntCounter> =
    LazyLock::new(|| plain_counter("stream_dropped_total", "Live-update clients dropped for not keeping up"));

pub static STREAM_DELIVERY: LazyLock<Histogram> = LazyLock::new(|| {
    let opts =
        HistogramOpts::new("stream_delivery_seconds", "From an order event's commit to its hand-over to a client")
            .buckets(LATENCY_BUCKETS.to_vec());
    let metric = Histogram::with_opts(opts).expect("valid histogram");
    REGISTRY.register(Box::new(metric.clone())).expect("unique histogram");
    metric
});

fn gauge(name: &str, help: &str) -> IntGauge {
    let metric = IntGauge::new(name, help).expect("valid gauge");
    REGISTRY.register(Box::new(metric.clone())).expect("unique gauge");
    metric
}

/// Jobs per queue by state: waiting (ready now), scheduled (later),
/// in_flight (fetched, not acknowledged), dead (apalis gave up).
pub static QUEUE_JOBS: LazyLock<IntGaugeVec> = LazyLock::new(|| {
    let metric =
        IntGaugeVec::new(Opts::new("queue_jobs", "Jobs per queue by state"), &["queue", "state"]).expect("valid gauge");
    REGISTRY.register(Box::new(metric.clone())).expect("unique gauge");
    metric
});

pub static OUTBOX_PENDING: LazyLock<IntGauge> =
    LazyLock::new(|| gauge("outbox_pending_rows", "Notifications waiting to be sent or being sent"));

pub static OLDEST_PENDING: LazyLock<IntGauge> = LazyLock::new(|| {
    gauge("notification_oldest_pending_age_seconds", "How long the most overdue pending notification has been due")
});

pub static DEAD_LETTERED: LazyLock<IntGauge> =
    LazyLock::new(|| gauge("notifications_dead_lettered", "Notifications given up on (dead letters)"));

pub static ROLLUP_LAG: LazyLock<IntGauge> =
    LazyLock::new(|| gauge("analytics_rollup_lag_seconds", "Seconds since the analytics roll-up's watermark"));

pub static OUTBOX_SWEPT: LazyLock<IntCounter> = LazyLock::new(|| {
    plain_counter("outbox_swept_total", "Notifications and receipts the sweeper re-enqueued (their job was lost)")
});

/// Inbound webhooks by source (fedex, ups, dhl, ordertrack, twilio,
/// sendgrid) and outcome (accepted, rejected, invalid, error).
pub static WEBHOOK_RECEIPTS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    counter("webhook_receipts_total", "Inbound webhooks by source and outcome", &["source", "outcome"])
});

/// Registers every metric, with its known label values at zero, so
/// `/metrics` lists them all from the start (dashboards and alerts see 0,
/// not "no data"). Called by every process as it starts.
pub fn register_all() {
    LazyLock::force(&HTTP_REQUESTS);
    LazyLock::force(&HTTP_DURATION);
    LazyLock::force(&JOBS_ENQUEUED);
    LazyLock::force(&JOBS_PROCESSED);
    LazyLock::force(&CACHE_LOOKUPS);
    LazyLock::force(&JOB_DURATION);
    LazyLock::force(&OUTCOME_WINDOW);
    for write in ["claims", "sends"] {
        GROUP_WRITE_BATCH.with_label_values(&[write]);
    }
    LazyLock::force(&SECURITY_REFUSALS);
    LazyLock::force(&SCHEDULER_TICKS);
    LazyLock::force(&STREAM_EVENTS_PUBLISHED);
    LazyLock::force(&STREAM_EVENTS_DELIVERED);
    LazyLock::force(&STREAM_DROPPED);
    LazyLock::force(&STREAM_DELIVERY);
    LazyLock::force(&QUEUE_JOBS);
    LazyLock::force(&OUTBOX_PENDING);
    LazyLock::force(&OLDEST_PENDING);
    LazyLock::force(&DEAD_LETTERED);
    LazyLock::force(&ROLLUP_LAG);
    LazyLock::force(&OUTBOX_SWEPT);
    for kind in ["order", "me", "tracking", "admin", "ws"] {
        STREAM_CLIENTS.with_label_values(&[kind]);
    }
    for channel in ["email", "sms", "push"] {
        for outcome in ["sent", "transient_error", "permanent_error"] {
            NOTIFICATION_ATTEMPTS.with_label_values(&[channel, outcome]);
        }
    }
    for source in ["fedex", "ups", "dhl", "twilio", "sendgrid"] {
        for outcome in ["accepted", "rejected", "invalid", "error"] {
            WEBHOOK_RECEIPTS.with_label_values(&[source, outcome]);
        }
    }
}

/// The registry in Prometheus text format.
pub fn render() -> String {
    TextEncoder::new().encode_to_string(&REGISTRY.gather()).unwrap_or_default()
}
