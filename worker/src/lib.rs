//! The ordertrack worker: runs every job from the Redis queues.

pub mod config;
pub mod context;
pub mod group_write;
pub mod in_flight;
pub mod jobs;
pub mod register;
pub mod retry;
pub mod send_batches;

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::{get, App, HttpResponse, HttpServer};
use ordertrack_shared::cache::listener::listen;
use ordertrack_shared::cache::Caches;
use ordertrack_shared::carriers::client::CarrierSetupError;
use ordertrack_shared::carriers::CarrierClient;
use ordertrack_shared::channels::push::{PushSender, PushSetupError};
use ordertrack_shared::channels::sms::SmsSender;
use ordertrack_shared::channels::{EmailSender, SendError};
use ordertrack_shared::db;
use ordertrack_shared::jobs::{EnqueueError, Enqueuer};
use ordertrack_shared::links::Signer;
use ordertrack_shared::templates::Renderer;
use tokio::sync::watch;

use crate::config::WorkerConfig;
use crate::context::JobContext;
use crate::send_batches::SendBatches;

/// What stopped the worker from starting; each names the part that failed.
#[derive(Debug, thiserror::Error)]
pub enum WorkerStartError {
    #[error(transparent)]
    Db(#[from] db::DbSetupError),
    #[error("redis: {0}")]
    Redis(#[from] EnqueueError),
    #[error("email channel: {0}")]
    Email(SendError),
    #[error("sms channel: {0}")]
    Sms(SendError),
    #[error("push channel: {0}")]
    Push(#[from] PushSetupError),
    #[error("carrier client: {0}")]
    Carrier(#[from] CarrierSetupError),
    #[error(transparent)]
    Templates(#[from] ordertrack_shared::templates::TemplateError),
    #[error("metrics listener: {0}")]
    Metrics(std::io::Error),
}

pub fn context(config: WorkerConfig) -> Result<Arc<JobContext>, WorkerStartError> {
    let db = db::pool(&config.store.database_url, config.store.database_pool_size)?;
    let enqueuer = Enqueuer::from_store(&config.store, std::time::Duration::from_secs(2))?;
    let email = EmailSender::new(&config.email).map_err(WorkerStartError::Email)?;
    let sms = SmsSender::new(config.sms.clone()).map_err(WorkerStartError::Sms)?;
    let push = PushSender::new(&config.push)?;
    let renderer = Renderer::from_dir(&config.templates_dir)?;
    let signer = Signer::new(&config.app_secret);
    let mut carriers = HashMap::new();
    for (carrier, credentials) in &config.carriers {
        let client = CarrierClient::new(*carrier, credentials.clone(), config.carrier_timeout)?;
        carriers.insert(*carrier, client);
    }
    let in_flight = Arc::default();
    let caches = Arc::new(Caches::new(config.store.cache_ttl));
    let batch_db = db::pool_planning_once(&config.store.database_url, SendBatches::CONNECTIONS)?;
    let send_batches = SendBatches::spawn(batch_db, config.claim_lease);
    Ok(Arc::new(JobContext {
        config,
        db,
        enqueuer,
        email,
        sms,
        push,
        renderer,
        signer,
        carriers,
        in_flight,
        caches,
        send_batches,
    }))
}

/// A unique worker instance name: the configured name, host process and a
/// random suffix, so a restarted replica is never refused as a duplicate.
pub fn instance_name(base: &str) -> String {
    format!("{base}-{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8])
}

#[get("/metrics")]
async fn metrics() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(ordertrack_shared::metrics::render())
}

#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// Runs the workers until `shutdown` turns true; in-flight jobs finish first.
/// Returns once every worker has stopped.
pub async fn run(config: WorkerConfig, shutdown: watch::Receiver<bool>) -> Result<(), WorkerStartError> {
    let metrics_port = config.metrics_port;
    let instance = instance_name(&config.name);
    let ctx = context(config)?;
    let metrics_server = match metrics_port {
        Some(port) => {
            let server = HttpServer::new(|| App::new().service(metrics).service(healthz))
                .workers(1)
                .disable_signals()
                .bind(("0.0.0.0", port))
                .map_err(WorkerStartError::Metrics)?
                .run();
            let handle = server.handle();
            tokio::spawn(server);
            Some(handle)
        }
        None => None,
    };
    let invalidations = tokio::spawn(listen(ctx.enqueuer.clone(), ctx.caches.clone(), shutdown.clone()));
    ordertrack_shared::metrics::register_all();
    ordertrack_shared::ops_metrics::spawn(
        ctx.db.clone(),
        ctx.enqueuer.clone(),
        ctx.config.store.ops_metrics_interval,
        shutdown.clone(),
    );
    let handles = register::register_workers(ctx.clone(), &instance, shutdown).await?;
    tracing::info!(%instance, workers = handles.len(), "worker running");
    for handle in handles {
        let _ = handle.await;
    }
    // apalis has stopped fetching; what it started finishes (bounded).
    if !ctx.in_flight.drained(ctx.config.shutdown_grace).await {
        tracing::warn!(running = ctx.in_flight.running(), "stopped with jobs still running");
    }
    if let Some(server) = metrics_server {
        server.stop(true).await;
    }
    let _ = invalidations.await;
    tracing::info!("worker stopped");
    Ok(())
}
