//! Each api replica runs one tailer: it numbers committed events (one
//! replica at a time, see `OrderEvent::sequence`), reads those it has not
//! dispatched yet from Postgres, in id order, and hands them to the hub;
//! while no client is connected to this replica it skips reading them.
//!
//! Writers announce commits on Redis pub/sub, which wakes the tailer at
//! once; Redis pub/sub forgets what is published while a replica is
//! disconnected, so the tailer also looks every `poll_interval`, and reads
//! from its own position after any reconnect: nothing is missed, nothing
//! dispatched twice.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use ordertrack_shared::db::DbPool;
use ordertrack_shared::jobs::Enqueuer;
use ordertrack_shared::models::{EventScope, OrderEvent};
use tokio::sync::{watch, Notify};

use super::event::LiveEvent;
use super::hub::Hub;

const BATCH: i64 = 500;

/// The least time between two passes. Under load every commit wakes the
/// tailer; spaced like this, a pass numbers and reads the events of a few
/// milliseconds of commits together instead of one commit's each (which
/// cost Postgres more than the commits themselves), and an event waits at
/// most this long more.
const PASS_GAP: Duration = Duration::from_millis(5);

/// Runs until `stop` turns true.
pub async fn run(hub: Arc<Hub>, db: DbPool, enqueuer: Enqueuer, mut stop: watch::Receiver<bool>) {
    let wake = Arc::new(Notify::new());
    let listener = tokio::spawn(listen(enqueuer.clone(), wake.clone(), stop.clone()));
    let (poll, vacuum_after) = (hub.config().poll_interval, hub.config().inbox_vacuum_after);
    let mut moved_since_vacuum = 0;
    loop {
        let pass = tokio::time::Instant::now();
        match catch_up(&hub, &db, &enqueuer).await {
            Ok(moved) => moved_since_vacuum += moved,
            Err(e) => tracing::warn!(error = %e, "reading order events failed; retrying"),
        }
        if moved_since_vacuum >= vacuum_after {
            moved_since_vacuum = 0;
            vacuum_inbox(&db).await;
        }
        tokio::time::sleep_until(pass + PASS_GAP).await;
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = stop.wait_for(|stop| *stop) => break,
        }
    }
    listener.abort();
}

/// Every event moved leaves a dead row in the inbox, and the sequencer's
/// ordered read walks their index entries until a vacuum removes them:
/// autovacuum comes by at most once a minute, when a busy minute has left
/// tens of thousands (a pass then took 1.3 ms instead of 0.2).
async fn vacuum_inbox(db: &DbPool) {
    let result = match db.get().await {
        Ok(mut conn) => OrderEvent::vacuum_inbox(&mut conn).await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(error) = result {
        tracing::warn!(%error, "vacuuming the event inbox failed");
    }
}

/// Numbers pending events, then dispatches everything after the hub's
/// position; returns how many it numbered.
async fn catch_up(hub: &Hub, db: &DbPool, enqueuer: &Enqueuer) -> Result<i64, Box<dyn std::error::Error>> {
    let mut conn = db.get().await?;
    let mut numbered = 0;
    loop {
        // A failed numbering pass must not stop reading what is numbered.
        let n = OrderEvent::sequence(&mut conn, BATCH).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "numbering order events failed; retrying");
            0
        });
        numbered += n;
        if n < BATCH {
            break;
        }
    }
    if numbered > 0 {
        // Other replicas' tailers read what this one numbered.
        enqueuer.announce_events().await;
    }
    let position = match hub.position() {
        Some(position) => position,
        None => {
            // Start live from where the log stands; history is for replays.
            hub.begin_at(OrderEvent::latest_id(&mut conn).await?);
            return Ok(numbered);
        }
    };
    // No one to hand events to: move to where the log stands without
    // reading (and rendering) what is in between.
    if hub.is_idle() && hub.skip_to_if_idle(OrderEvent::latest_id(&mut conn).await?) {
        return Ok(numbered);
    }
    let mut position = position;
    loop {
        let events = OrderEvent::after(&mut conn, EventScope::All, position, BATCH).await?;
        let count = events.len() as i64;
        for (event, order) in events {
            position = event.id;
            hub.dispatch(&Arc::new(LiveEvent::new(event, order)));
        }
        if count < BATCH {
            return Ok(numbered);
        }
    }
}

/// Keeps one Redis subscription to the events channel and wakes the tailer
/// on every message, and after every (re)connect.
async fn listen(enqueuer: Enqueuer, wake: Arc<Notify>, stop: watch::Receiver<bool>) {
    let channel = enqueuer.events_channel();
    while !*stop.borrow() {
        // A Sentinel failover moves the master: subscribe on the new one.
        let mut moved = enqueuer.moved();
        match enqueuer.pubsub().await {
            Ok(mut pubsub) => match pubsub.subscribe(&channel).await {
                Ok(()) => {
                    wake.notify_one();
                    let mut messages = pubsub.on_message();
                    loop {
                        tokio::select! {
                            message = messages.next() => if message.is_none() { break },
                            Ok(()) = moved.changed() => break,
                        }
                        wake.notify_one();
                    }
                    tracing::warn!("order events subscription lost; reconnecting");
                }
                Err(e) => tracing::warn!(error = %e, "cannot subscribe to order events; retrying"),
            },
            Err(e) => tracing::debug!(error = %e, "redis unavailable for order events; polling meanwhile"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
