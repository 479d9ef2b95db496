//! The jobs running in this process. Each job's work runs in a task of its
//! own, so an apalis worker that stops (a backend error, a restart, the
//! shutdown) cannot drop it half done, between a provider's answer and its
//! bookkeeping; restarts and the shutdown wait here for the work to finish.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

#[derive(Default)]
pub struct InFlight {
    running: AtomicUsize,
    finished: Notify,
}

/// Counts one job out when its task ends, however it ends.
struct Running(Arc<InFlight>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.finished.notify_waiters();
    }
}

impl InFlight {
    /// Runs `work` to completion in its own task, even if the caller stops
    /// waiting for it. A panic in `work` resumes in the caller.
    pub async fn run<W>(self: &Arc<Self>, work: W) -> W::Output
    where
        W: Future + Send + 'static,
        W::Output: Send + 'static,
    {
        self.running.fetch_add(1, Ordering::SeqCst);
        let running = Running(self.clone());
        let task = tokio::spawn(async move {
            let _running = running;
            work.await
        });
        match task.await {
            Ok(output) => output,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("job task cancelled: {e}"),
        }
    }

    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// Waits until no job runs, for at most `bound`; whether it got there.
    pub async fn drained(&self, bound: Duration) -> bool {
        let wait = async {
            loop {
                let finished = self.finished.notified();
                if self.running() == 0 {
                    return;
                }
                finished.await;
            }
        };
        tokio::time::timeout(bound, wait).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_outlives_a_caller_that_stops_waiting_and_drained_waits_for_it() {
        let in_flight = Arc::new(InFlight::default());
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let caller = {
            let in_flight = in_flight.clone();
            tokio::spawn(async move {
                in_flight
                    .run(async move {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        let _ = done_tx.send(());
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        caller.abort();
        assert_eq!(in_flight.running(), 1, "the work goes on without its caller");
        assert!(!in_flight.drained(Duration::from_millis(5)).await, "bounded");
        assert!(in_flight.drained(Duration::from_secs(2)).await);
        assert!(done_rx.await.is_ok(), "the work finished");
        assert_eq!(in_flight.running(), 0);
    }

    #[tokio::test]
    #[should_panic(expected = "boom")]
    async fn a_panic_reaches_the_caller() {
        let in_flight = Arc::new(InFlight::default());
        in_flight.run(async { panic!("boom") }).await
    }
}
