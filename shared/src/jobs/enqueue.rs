//! Pushing jobs to Redis after commit. Redis is transport only: a failed push
//! loses nothing, because the row it stands for is already in Postgres and the
//! outbox sweeper re-enqueues it. So every push is bounded by a short timeout
//! and its failure is logged, never returned to the shopper.

use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_redis::{Config as RedisQueueConfig, RedisStorage};
use tokio::sync::{watch, Mutex};

use super::{Job, Queue};
use crate::redis_conn::RedisConn;
use crate::redis_endpoint::{is_master, RedisEndpoint, RedisTopology};

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
///
/// With Sentinel (`REDIS_SENTINELS`), every connect asks the sentinels for
/// the master, and a watchdog drops the cached connection once its server
/// stops being the master (demoted by a failover, or gone): the next
/// `connection()` asks again. A `ConnectionManager` alone would keep
/// reconnecting to the old address. A Redis Cluster's client
/// (`REDIS_CLUSTER_NODES`) follows failovers by itself.
#[derive(Clone)]
pub struct Enqueuer {
    endpoint: RedisEndpoint,
    conn: Arc<Mutex<Option<RedisConn>>>,
    /// Counts the connections dropped because the master moved.
    moved: Arc<watch::Sender<u64>>,
    namespace: String,
    timeout: Duration,
}

/// How often a Sentinel-resolved connection checks that its server is still
/// the master (`ROLE`), and how long it waits for the answer: a
/// `ConnectionManager` whose server died holds commands while it retries,
/// so waiting for the enqueue timeout would add seconds to a failover.
const MASTER_CHECK: Duration = Duration::from_millis(500);

impl Enqueuer {
    /// One Redis at `redis_url` (no Sentinel).
    pub fn new(redis_url: &str, namespace: &str, timeout: Duration) -> Result<Self, EnqueueError> {
        Self::with_topology(redis_url, &RedisTopology::Single, namespace, timeout)
    }

    /// The Redis of a process' configuration.
    pub fn from_store(store: &crate::config::StoreConfig, timeout: Duration) -> Result<Self, EnqueueError> {
        Self::with_topology(&store.redis_url, &store.redis_topology, &store.redis_namespace, timeout)
    }

    pub fn with_topology(
        redis_url: &str,
        topology: &RedisTopology,
        namespace: &str,
        timeout: Duration,
    ) -> Result<Self, EnqueueError> {
        let endpoint = RedisEndpoint::new(redis_url, topology).map_err(|e| EnqueueError::Unavailable(e.to_string()))?;
        Ok(Enqueuer {
            endpoint,
            conn: Arc::new(Mutex::new(None)),
            moved: Arc::new(watch::channel(0).0),
            namespace: namespace.to_owned(),
            timeout,
        })
    }

    /// The same queues through a connection of its own, opened on first use
    /// (by the thread that will drive it).
    pub fn with_own_connection(&self) -> Self {
        Enqueuer { conn: Arc::new(Mutex::new(None)), moved: Arc::new(watch::channel(0).0), ..self.clone() }
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// A live connection, connecting on first use (and, with Sentinel, again
    /// after the master moved).
    pub async fn connection(&self) -> Result<RedisConn, EnqueueError> {
        let mut slot = self.conn.lock().await;
        if let Some(conn) = slot.as_ref() {
            return Ok(conn.clone());
        }
        let conn = tokio::time::timeout(self.timeout, self.endpoint.connect())
            .await
            .map_err(|_| EnqueueError::Timeout(self.timeout))?
            .map_err(|e| EnqueueError::Unavailable(e.to_string()))?;
        *slot = Some(conn.clone());
        if self.endpoint.is_sentinel() {
            self.watch_master(conn.clone());
        }
        Ok(conn)
    }

    /// Changes each time the connection was dropped because the master
    /// moved. Whoever holds a clone of the old one (an apalis worker) must
    /// start over with `connection()`. Never changes without Sentinel.
    pub fn moved(&self) -> watch::Receiver<u64> {
        self.moved.subscribe()
    }

    /// Checks every `MASTER_CHECK` that `conn`'s server is still the master;
    /// drops it from the cache once it says it is a replica, or has not
    /// answered twice in a row (within about 2 s of a `kill -9`). Ends with that, or with the last clone of
    /// this `Enqueuer`.
    fn watch_master(&self, mut conn: RedisConn) {
        let (slot, moved) = (Arc::downgrade(&self.conn), self.moved.clone());
        let epoch = *moved.borrow();
        tokio::spawn(async move {
            let mut unanswered = 0;
            loop {
                tokio::time::sleep(MASTER_CHECK).await;
                let Some(slot) = slot.upgrade() else { return };
                match tokio::time::timeout(MASTER_CHECK, is_master(&mut conn)).await {
                    Ok(Some(true)) => {
                        unanswered = 0;
                        continue;
                    }
                    Ok(Some(false)) => {}
                    Ok(None) | Err(_) => {
                        unanswered += 1;
                        if unanswered < 2 {
                            continue;
                        }
                    }
                }
                let mut slot = slot.lock().await;
                if *moved.borrow() == epoch {
                    *slot = None;
                    moved.send_modify(|epoch| *epoch += 1);
                    tracing::warn!("redis master moved or is down; asking sentinel again");
                }
                return;
            }
        });
    }

    /// The apalis storage for a queue of this namespace.
    pub fn storage<J: Job>(&self, conn: RedisConn, queue: Queue) -> RedisStorage<J, RedisConn> {
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
        let result = tokio::time::timeout(self.timeout, push).await.unwrap_or(Err(EnqueueError::Timeout(self.timeout)));
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
        // Concurrent: the multiplexed connection pipelines them.
        futures::future::join_all(notifications.iter().map(|n| {
            let delay = (n.next_attempt_at - chrono::Utc::now()).to_std().ok().filter(|d| !d.is_zero());
            self.push(n.queue, super::SendNotification { notification_id: n.id }, delay)
        }))
        .await;
    }

    /// A dedicated pub/sub connection (subscriptions cannot share the
    /// multiplexed one), bounded by the timeout.
    pub async fn pubsub(&self) -> Result<redis::aio::PubSub, EnqueueError> {
        tokio::time::timeout(self.timeout, self.endpoint.pubsub())
            .await
            .map_err(|_| EnqueueError::Timeout(self.timeout))?
            .map_err(|e| EnqueueError::Unavailable(e.to_string()))
    }

    /// What every writer of order events does after commit: queue the new
    /// outbox rows and wake the live-update tailers, together.
    pub async fn after_commit(&self, notifications: &[crate::models::Notification]) {
        futures::join!(self.push_notifications(notifications), self.announce_events());
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

    /// The pub/sub channel on which writers of cached configuration tell
    /// every process what changed (`cache`).
    pub fn invalidations_channel(&self) -> String {
        format!("{}:cache-invalidations", self.namespace)
    }

    /// Tells every process' caches that `what` changed; call after commit.
    /// Best effort: a process that misses it serves the old value until the
    /// entry expires (`CACHE_TTL_MS`).
    pub async fn announce_change(&self, what: crate::cache::Invalidation) {
        let publish = async {
            let mut conn = self.connection().await?;
            redis::cmd("PUBLISH")
                .arg(self.invalidations_channel())
                .arg(what.encode())
                .query_async::<i64>(&mut conn)
                .await
                .map_err(|e| EnqueueError::Push(e.to_string()))
        };
        match tokio::time::timeout(self.timeout, publish).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::warn!(error = %e, change = what.encode(), "announcing a change to the caches failed")
            }
            Err(_) => tracing::warn!(change = what.encode(), "announcing a change to the caches timed out"),
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
