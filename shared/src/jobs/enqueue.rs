//! Pushing jobs to Redis after commit. Redis is transport only: a failed push
//! loses nothing, because the row it stands for is already in Postgres and the
//! outbox sweeper re-enqueues it. So every push is bounded by a short timeout
//! and its failure is logged, never returned to the shopper.

use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_redis::{Config as RedisQueueConfig, ConnectionManager, RedisStorage};
use tokio::sync::Mutex;

use super::{Job, Queue};

#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    #[error("redis unavailable: {0}")]
    Unavailable(String),
    #[error("enqueue timed out after {0:?}")]
    Timeout(Duration),
    #[error("push failed: {0}")]
    Push(String),
}

/// A cheap-to-clone handle that pushes jobs into namespaced queues,
/// connecting lazily so a process can start while Redis is down.
#[derive(Clone)]
pub struct Enqueuer {
    client: redis::Client,
    conn: Arc<Mutex<Option<ConnectionManager>>>,
    namespace: String,
    timeout: Duration,
}

impl Enqueuer {
    pub fn new(redis_url: &str, namespace: &str, timeout: Duration) -> Result<Self, EnqueueError> {
        let client = redis::Client::open(redis_url).map_err(|e| EnqueueError::Unavailable(e.to_string()))?;
        Ok(Enqueuer { client, conn: Arc::new(Mutex::new(None)), namespace: namespace.to_owned(), timeout })
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// A live connection manager, connecting on first use.
    pub async fn connection(&self) -> Result<ConnectionManager, EnqueueError> {
        let mut slot = self.conn.lock().await;
        if let Some(conn) = slot.as_ref() {
            return Ok(conn.clone());
        }
        let conn = tokio::time::timeout(self.timeout, self.client.get_connection_manager())
            .await
            .map_err(|_| EnqueueError::Timeout(self.timeout))?
            .map_err(|e| EnqueueError::Unavailable(e.to_string()))?;
        *slot = Some(conn.clone());
        Ok(conn)
    }

    /// The apalis storage for a queue of this namespace.
    pub fn storage<J: Job>(&self, conn: ConnectionManager, queue: Queue) -> RedisStorage<J> {
        RedisStorage::new(conn).with_config(RedisQueueConfig::default().queue(queue.redis_name(&self.namespace)))
    }

    /// Pushes a job, to run now or after `delay` (1 s resolution in Redis).
    pub async fn push<J: Job>(&self, queue: Queue, job: J, delay: Option<Duration>) -> Result<(), EnqueueError> {
        let push = async {
            let conn = self.connection().await?;
            let mut storage = self.storage::<J>(conn, queue);
            let mut task = TaskBuilder::new(job);
            if let Some(delay) = delay {
                task = task.run_after(delay);
            }
            storage.push_task(task.build()).await.map_err(|e| EnqueueError::Push(e.to_string()))
        };
        let result = tokio::time::timeout(self.timeout, push).await.map_err(|_| EnqueueError::Timeout(self.timeout))?;
        match &result {
            Ok(()) => crate::metrics::JOBS_ENQUEUED.with_label_values(&[queue.as_str(), J::NAME, "ok"]).inc(),
            Err(e) => {
                crate::metrics::JOBS_ENQUEUED.with_label_values(&[queue.as_str(), J::NAME, "error"]).inc();
                tracing::warn!(queue = queue.as_str(), job = J::NAME, error = %e, "enqueue failed; the outbox sweeper will retry");
            }
        }
        result
    }

    /// Queues a job per notification, delayed until its `next_attempt_at`.
    /// Failures are logged and left to the outbox sweeper.
    pub async fn push_notifications(&self, notifications: &[crate::models::Notification]) {
        for n in notifications {
            let delay = (n.next_attempt_at - chrono::Utc::now()).to_std().ok().filter(|d| !d.is_zero());
            let _ = self.push(n.queue, super::SendNotification { notification_id: n.id }, delay).await;
        }
    }

    /// A dedicated pub/sub connection (subscriptions cannot share the
    /// multiplexed one), bounded by the timeout.
    pub async fn pubsub(&self) -> Result<redis::aio::PubSub, EnqueueError> {
        tokio::time::timeout(self.timeout, self.client.get_async_pubsub())
            .await
            .map_err(|_| EnqueueError::Timeout(self.timeout))?
            .map_err(|e| EnqueueError::Unavailable(e.to_string()))
    }

    /// What every writer of order events does after commit: queue the new
    /// outbox rows, then wake the live-update tailers.
    pub async fn after_commit(&self, notifications: &[crate::models::Notification]) {
        self.push_notifications(notifications).await;
        self.announce_events().await;
    }

    /// The pub/sub channel that tells api replicas new order events were
    /// committed (the events themselves are read from Postgres).
    pub fn events_channel(&self) -> String {
        format!("{}:order-events", self.namespace)
    }

    /// Wakes every api replica's event tailer after a commit that appended
    /// order events. Best effort: a replica that misses it finds the events
    /// on its next poll.
    pub async fn announce_events(&self) {
        let publish = async {
            let mut conn = self.connection().await?;
            redis::cmd("PUBLISH")
                .arg(self.events_channel())
                .arg(chrono::Utc::now().timestamp_micros())
                .query_async::<i64>(&mut conn)
                .await
                .map_err(|e| EnqueueError::Push(e.to_string()))
        };
        match tokio::time::timeout(self.timeout, publish).await {
            Ok(Ok(_)) => crate::metrics::STREAM_EVENTS_PUBLISHED.inc(),
            Ok(Err(e)) => tracing::debug!(error = %e, "announcing order events failed; replicas will poll"),
            Err(_) => tracing::debug!("announcing order events timed out; replicas will poll"),
        }
    }

    /// Answers whether Redis responds to PING within the timeout.
    pub async fn ping(&self) -> bool {
        let check = async {
            let mut conn = self.connection().await.ok()?;
            redis::cmd("PING").query_async::<String>(&mut conn).await.ok()
        };
        matches!(tokio::time::timeout(self.timeout, check).await, Ok(Some(_)))
    }
}
