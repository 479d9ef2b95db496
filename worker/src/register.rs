//! Every apalis worker is registered here: one worker per queue, each with
//! its own concurrency, so a burst on one queue never starves another.

use apalis::layers::catch_panic::CatchPanicLayer;
use apalis::prelude::*;
use ordertrack_shared::jobs::promote::promote_due;
use ordertrack_shared::jobs::{MaintenanceJob, PollCarrier, ProcessCarrierReceipt, Queue, SendNotification};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::context::SharedContext;
use crate::jobs::maintenance::maintenance;
use crate::jobs::poll_carrier::poll_carrier;
use crate::jobs::process_carrier_receipt::process_carrier_receipt;
use crate::jobs::send_notification::send_notification;

/// A panicking job fails without retry instead of taking the worker down.
fn on_panic(panic: &Box<dyn std::any::Any + Send>) -> AbortError {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    tracing::error!(%message, "job panicked");
    AbortError::new(message)
}

/// Resolves once shutdown is requested.
async fn stopped(mut shutdown: watch::Receiver<bool>) -> Result<(), std::io::Error> {
    let _ = shutdown.wait_for(|stop| *stop).await;
    Ok(())
}

/// Runs one apalis worker per queue, restarted (under a new name: apalis
/// refuses a live one) if it ever stops with an error, until shutdown.
macro_rules! spawn_worker {
    ($ctx:expr, $queue:expr, $instance:expr, $shutdown:expr, $job:ty, $handler:expr) => {{
        let (ctx, queue, instance, shutdown) = ($ctx.clone(), $queue, $instance.to_owned(), $shutdown.clone());
        tokio::spawn(async move {
            for generation in 0u32.. {
                // Changes when a Sentinel failover moved the master away from `conn`.
                let mut moved = ctx.enqueuer.moved();
                let conn = match ctx.enqueuer.connection().await {
                    Ok(conn) => conn,
                    Err(e) => {
                        tracing::error!(%queue, error = %e, "cannot reach redis; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        continue;
                    }
                };
                // apalis-redis sometimes misses its poll timer and only fetches
                // again at the next heartbeat: keep heartbeats short.
                let config = apalis_redis::Config::default()
                    .queue(queue.redis_name(ctx.enqueuer.namespace()))
                    .heartbeat_interval(ctx.config.heartbeat)
                    .batch_size(ctx.config.fetch_batch(queue))
                    // A lease costs an LREM over the whole waiting list per job
                    // (O(backlog)); the worker's in-flight set already hands a
                    // dead worker's jobs back, and Postgres claims every send.
                    .lock_tasks(false)
                    // Nothing subscribes to apalis' per-job PUBLISHes.
                    .emit_events(false);
                let storage = apalis_redis::RedisStorage::<$job, _>::new(conn)
                    .with_config(config)
                    .poll_with_interval(ctx.config.poll_interval);
                let name = format!("{instance}:{queue}:{generation}");
                let worker = WorkerBuilder::new(name.clone())
                    .backend(storage)
                    .layer(CatchPanicLayer::with_panic_handler(on_panic))
                    .concurrency(ctx.config.concurrency(queue))
                    .data(ctx.clone())
                    .data(queue)
                    .build($handler);
                tokio::select! {
                    result = worker.run_until(stopped(shutdown.clone())) => match result {
                        Ok(()) => break,
                        Err(e) => tracing::error!(%queue, error = %e, "worker stopped with an error; restarting"),
                    },
                    () = stalled(&ctx, queue, &name) => {
                        tracing::error!(%queue, worker = %name, "worker stopped beating with nothing in flight; restarting it");
                    }
                    // apalis errors out on a demoted master (READONLY) but goes quiet
                    // on a dead one: follow the Enqueuer to the new master.
                    Ok(()) = moved.changed() => {
                        tracing::warn!(%queue, worker = %name, "redis master moved; restarting on the new one");
                    }
                }
                if *shutdown.borrow() {
                    break;
                }
                // Never start a new generation underneath running jobs.
                if !ctx.in_flight.drained(ctx.config.shutdown_grace).await {
                    tracing::warn!(%queue, running = ctx.in_flight.running(), "restarting with jobs still running");
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        })
    }};
}

/// Resolves once the apalis worker `name` has stopped beating (no heartbeat
/// for six intervals, at least 10 s) while it holds no job. apalis-core 1.0's
/// poll timer can lose its wake-up, and under load a worker was seen idle for
/// minutes with jobs waiting; with nothing in flight, restarting it under a
/// new name loses nothing.
async fn stalled(ctx: &SharedContext, queue: Queue, name: &str) {
    let config = apalis_redis::Config::default().queue(queue.redis_name(ctx.enqueuer.namespace()));
    let (workers, inflight) = (config.workers_set(), format!("{}:{name}", config.inflight_jobs_set()));
    let limit = (ctx.config.heartbeat * 6).max(std::time::Duration::from_secs(10)).as_secs();
    loop {
        tokio::time::sleep(ctx.config.heartbeat).await;
        let Ok(mut conn) = ctx.enqueuer.connection().await else { continue };
        let seen: redis::RedisResult<(Option<u64>, u64)> =
            redis::pipe().zscore(&workers, name).scard(&inflight).query_async(&mut conn).await;
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        if let Ok((Some(last_beat), 0)) = seen {
            if now.saturating_sub(last_beat) > limit {
                return;
            }
        }
    }
}

/// Keeps the queue's delayed jobs promoted in bounded chunks (see
/// `jobs::promote`), every poll interval until shutdown.
fn spawn_promoter(ctx: SharedContext, queue: Queue, mut shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Ok(mut conn) = ctx.enqueuer.connection().await {
                if let Err(e) = promote_due(&mut conn, ctx.enqueuer.namespace(), queue).await {
                    tracing::warn!(%queue, error = %e, "promoting due jobs failed");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(ctx.config.poll_interval) => {}
                _ = shutdown.wait_for(|stop| *stop) => return,
            }
        }
    })
}

/// Starts a worker for each configured queue that has jobs. `instance` must be
/// unique per replica (apalis refuses a second worker with a live name).
pub async fn register_workers(
    ctx: SharedContext,
    instance: &str,
    shutdown: watch::Receiver<bool>,
) -> Result<Vec<JoinHandle<()>>, ordertrack_shared::jobs::EnqueueError> {
    let mut handles = Vec::new();
    // Fail fast at start if Redis is unreachable; later outages are retried.
    let mut conn = ctx.enqueuer.connection().await?;
    // Promote any backlog before apalis' first fetch sees it.
    for &queue in &ctx.config.queues {
        if let Err(e) = promote_due(&mut conn, ctx.enqueuer.namespace(), queue).await {
            tracing::warn!(%queue, error = %e, "promoting due jobs failed");
        }
    }
    for &queue in &ctx.config.queues {
        let handle = match queue {
            Queue::NotificationsCritical | Queue::Notifications | Queue::NotificationsBulk => {
                spawn_worker!(ctx, queue, instance, shutdown, SendNotification, send_notification)
            }
            Queue::Maintenance => spawn_worker!(ctx, queue, instance, shutdown, MaintenanceJob, maintenance),
            Queue::CarrierEvents => {
                spawn_worker!(ctx, queue, instance, shutdown, ProcessCarrierReceipt, process_carrier_receipt)
            }
            Queue::CarrierPolls => spawn_worker!(ctx, queue, instance, shutdown, PollCarrier, poll_carrier),
        };
        tracing::info!(%queue, concurrency = ctx.config.concurrency(queue), "worker started");
        handles.push(handle);
        handles.push(spawn_promoter(ctx.clone(), queue, shutdown.clone()));
    }
    Ok(handles)
}
