//! The ordertrack scheduler: turns cron ticks into jobs. Several may run; a
//! per-tick lease in Redis lets exactly one enqueue each tick.

pub mod config;
pub mod lease;
pub mod schedules;

use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use ordertrack_shared::jobs::recurring::Recurring;
use ordertrack_shared::jobs::Enqueuer;
use tokio::sync::watch;

use crate::config::SchedulerConfig;
use crate::lease::TickLease;
use crate::schedules::{on_tick, Scheduled, SchedulerContext};

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("redis: {0}")]
    Redis(String),
    #[error("schedule: {0}")]
    Schedule(String),
    #[error("scheduler stopped: {0}")]
    Worker(String),
}

async fn stopped(mut shutdown: watch::Receiver<bool>) -> Result<(), std::io::Error> {
    let _ = shutdown.wait_for(|stop| *stop).await;
    Ok(())
}

/// Runs the schedules until `shutdown` turns true.
pub async fn run(config: SchedulerConfig, shutdown: watch::Receiver<bool>) -> Result<(), SchedulerError> {
    let enqueuer = Enqueuer::from_store(&config.store, Duration::from_secs(2))
        .map_err(|e| SchedulerError::Redis(e.to_string()))?;
    let instance = format!("scheduler-{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let ctx = Arc::new(SchedulerContext {
        lease: TickLease::new(enqueuer.clone(), config.tick_lease, instance.clone()),
        enqueuer,
    });
    let mut workers = Vec::new();
    for (recurring, expression) in &config.schedules {
        let recurring: &'static Recurring = recurring;
        let cron = schedules::parse(expression).map_err(|e| SchedulerError::Schedule(e.to_string()))?;
        let worker = WorkerBuilder::new(format!("{instance}:{}", recurring.name))
            .backend(CronScheduler::new(cron))
            .data(ctx.clone())
            .data(Scheduled(recurring))
            .build(on_tick);
        tracing::info!(%instance, job = recurring.name, cron = %expression, "schedule running");
        let shutdown = shutdown.clone();
        workers.push(tokio::spawn(async move { worker.run_until(stopped(shutdown)).await }));
    }
    for worker in workers {
        worker
            .await
            .map_err(|e| SchedulerError::Worker(e.to_string()))?
            .map_err(|e| SchedulerError::Worker(e.to_string()))?;
    }
    Ok(())
}
