//! Every apalis worker is registered here: one worker per queue, each with
//! its own concurrency, so a burst on one queue never starves another.

use apalis::layers::catch_panic::CatchPanicLayer;
use apalis::prelude::*;
use ordertrack_shared::jobs::{Queue, SendNotification, SweepOutbox};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::context::SharedContext;
use crate::jobs::send_notification::send_notification;
use crate::jobs::sweep_outbox::sweep_outbox;

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

macro_rules! spawn_worker {
    ($ctx:expr, $conn:expr, $queue:expr, $instance:expr, $shutdown:expr, $job:ty, $handler:expr) => {{
        let storage = $ctx.enqueuer.storage::<$job>($conn, $queue).poll_with_interval($ctx.config.poll_interval);
        let worker = WorkerBuilder::new(format!("{}:{}", $instance, $queue))
            .backend(storage)
            .layer(CatchPanicLayer::with_panic_handler(on_panic))
            .concurrency($ctx.config.concurrency($queue))
            .data($ctx.clone())
            .data($queue)
            .build($handler);
        let shutdown = $shutdown.clone();
        let queue = $queue;
        tokio::spawn(async move {
            if let Err(e) = worker.run_until(stopped(shutdown)).await {
                tracing::error!(%queue, error = %e, "worker stopped with an error");
            }
        })
    }};
}

/// Starts a worker for each configured queue that has jobs. `instance` must be
/// unique per replica (apalis refuses a second worker with a live name).
pub async fn register_workers(
    ctx: SharedContext,
    instance: &str,
    shutdown: watch::Receiver<bool>,
) -> Result<Vec<JoinHandle<()>>, ordertrack_shared::jobs::EnqueueError> {
    let mut handles = Vec::new();
    for &queue in &ctx.config.queues {
        let conn = ctx.enqueuer.connection().await?;
        let handle = match queue {
            Queue::NotificationsCritical | Queue::Notifications | Queue::NotificationsBulk => {
                spawn_worker!(
                    ctx,
                    conn,
                    queue,
                    instance,
                    shutdown,
                    SendNotification,
                    send_notification
                )
            }
            Queue::Maintenance => spawn_worker!(
                ctx,
                conn,
                queue,
                instance,
                shutdown,
                SweepOutbox,
                sweep_outbox
            ),
            Queue::CarrierEvents | Queue::CarrierPolls => {
                tracing::debug!(%queue, "no jobs run on this queue yet");
                continue;
            }
        };
        tracing::info!(%queue, concurrency = ctx.config.concurrency(queue), "worker started");
        handles.push(handle);
    }
    Ok(handles)
}
