//! Group commit: one kind of write for many jobs at once. Requests queue
//! while a write is in flight and the next write takes all of them (up to a
//! cap), so a lone job is written at once, and a busy worker pays one
//! statement, one round trip and one commit per batch instead of per job.

use std::future::Future;

use apalis::prelude::BoxDynError;
use ordertrack_shared::metrics::GROUP_WRITE_BATCH;
use tokio::sync::{mpsc, oneshot};

/// A write's result for one request. `Retry`: Postgres could not be reached
/// or is restarting (the request may be tried again); `Failed`: it refused.
#[derive(Debug)]
pub enum Written<T> {
    Done(T),
    Retry(BoxDynError),
    Failed(BoxDynError),
}

struct Request<Req, Resp> {
    request: Req,
    reply: oneshot::Sender<Written<Resp>>,
}

/// Sends requests to one writer task, which owns the batching.
pub struct GroupWriter<Req, Resp> {
    requests: mpsc::UnboundedSender<Request<Req, Resp>>,
}

impl<Req: Send + 'static, Resp: Send + 'static> GroupWriter<Req, Resp> {
    /// Starts the writer task on the current runtime. `write` gets a batch
    /// of at most `max` requests and answers each, in order; `name` labels
    /// the batch sizes in metrics.
    pub fn spawn<W, F>(name: &'static str, max: usize, write: W) -> Self
    where
        W: Fn(Vec<Req>) -> F + Send + 'static,
        F: Future<Output = Vec<Written<Resp>>> + Send,
    {
        let (requests, mut queue) = mpsc::unbounded_channel::<Request<Req, Resp>>();
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(max);
            while queue.recv_many(&mut batch, max).await > 0 {
                let (requests, replies): (Vec<_>, Vec<_>) = batch.drain(..).map(|r| (r.request, r.reply)).unzip();
                let count = requests.len();
                GROUP_WRITE_BATCH.with_label_values(&[name]).observe(count as f64);
                let answers = write(requests).await;
                debug_assert_eq!(answers.len(), count, "a group write answers every request");
                for (reply, answer) in replies.into_iter().zip(answers) {
                    // (The job may have been cancelled meanwhile: nobody to tell.)
                    let _ = reply.send(answer);
                }
            }
        });
        GroupWriter { requests }
    }

    /// Queues `request` for the next batch and waits for its result.
    pub async fn write(&self, request: Req) -> Written<Resp> {
        let (reply, answer) = oneshot::channel();
        if self.requests.send(Request { request, reply }).is_err() {
            return Written::Failed("the group writer has stopped".into());
        }
        answer.await.unwrap_or_else(|_| Written::Failed("the group writer dropped the request".into()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn requests_that_arrive_during_a_write_share_the_next_one() {
        // Each write reports its batch, then waits for a permit.
        let (started, mut batches) = mpsc::unbounded_channel();
        let permits = Arc::new(tokio::sync::Semaphore::new(0));
        let gate = permits.clone();
        let writer = Arc::new(GroupWriter::spawn("test", 64, move |batch: Vec<u32>| {
            let (started, gate) = (started.clone(), gate.clone());
            async move {
                started.send(batch.clone()).unwrap();
                gate.acquire().await.unwrap().forget();
                batch.into_iter().map(|n| Written::Done(n * 10)).collect()
            }
        }));
        let write = |n| {
            let writer = writer.clone();
            tokio::spawn(async move { writer.write(n).await })
        };
        let first = write(1);
        assert_eq!(batches.recv().await.unwrap(), vec![1]);
        let rest: Vec<_> = (2..=5).map(write).collect();
        // (A current-thread runtime: the four run up to their wait, queued.)
        tokio::task::yield_now().await;
        permits.add_permits(2);
        assert!(matches!(first.await.unwrap(), Written::Done(10)));
        assert_eq!(batches.recv().await.unwrap(), vec![2, 3, 4, 5]);
        for (n, handle) in (2..=5).zip(rest) {
            assert!(matches!(handle.await.unwrap(), Written::Done(v) if v == n * 10));
        }
    }

    #[tokio::test]
    async fn a_batch_never_exceeds_its_cap() {
        let largest = Arc::new(AtomicUsize::new(0));
        let seen = largest.clone();
        let writer = Arc::new(GroupWriter::spawn("test", 3, move |batch: Vec<u32>| {
            seen.fetch_max(batch.len(), Ordering::SeqCst);
            async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                batch.into_iter().map(Written::Done).collect()
            }
        }));
        let handles: Vec<_> = (0..20)
            .map(|n| {
                let writer = writer.clone();
                tokio::spawn(async move { writer.write(n).await })
            })
            .collect();
        for (n, handle) in (0..20).zip(handles) {
            assert!(matches!(handle.await.unwrap(), Written::Done(v) if v == n));
        }
        assert_eq!(largest.load(Ordering::SeqCst), 3);
    }
}
