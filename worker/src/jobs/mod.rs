//! One handler per job. Every apalis handler runs its work through
//! [`instrumented`], so timing, outcome counts, the tracing span and the
//! failure log are the same for all of them.

pub mod detect_delays;
pub mod enqueue_polls;
pub mod maintenance;
pub mod poll_carrier;
pub mod process_carrier_receipt;
pub mod prune_order_events;
pub mod roll_up;
pub mod send_notification;
pub mod simulate_carriers;
pub mod sweep_outbox;
pub mod vacuum;

use std::future::Future;

use apalis::prelude::BoxDynError;
use ordertrack_shared::jobs::Queue;
use ordertrack_shared::metrics::{JOBS_PROCESSED, JOB_DURATION};
use tracing::Instrument;

use crate::context::SharedContext;

/// Runs one job's `work` inside `span`, to completion even if apalis stops
/// waiting (see `in_flight`), timing it and counting its outcome (the label
/// `work` returns, or `error`). An error is logged and handed back to
/// apalis, which retries the job.
pub async fn instrumented<W>(
    ctx: &SharedContext,
    queue: Queue,
    job: &'static str,
    span: tracing::Span,
    work: W,
) -> Result<(), BoxDynError>
where
    W: Future<Output = Result<&'static str, BoxDynError>> + Send + 'static,
{
    let timer = JOB_DURATION.with_label_values(&[queue.as_str(), job]).start_timer();
    let work = ordertrack_shared::cache::scope(ctx.caches.clone(), work.instrument(span.clone()));
    let result = ctx.in_flight.run(work).await;
    timer.observe_duration();
    let outcome = match &result {
        Ok(outcome) => outcome,
        Err(e) => {
            span.in_scope(|| tracing::error!(%queue, job, error = %e, "job failed; it will be retried"));
            "error"
        }
    };
    JOBS_PROCESSED.with_label_values(&[queue.as_str(), job, outcome]).inc();
    result.map(|_| ())
}
