//! Keeps this process subscribed to the namespace's invalidation channel and
//! applies every message to its caches; the caches serve only while it is.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::watch;

use super::{Caches, Invalidation};
use crate::jobs::Enqueuer;

/// Runs until `stop` turns true or its sender is dropped.
pub async fn listen(enqueuer: Enqueuer, caches: Arc<Caches>, mut stop: watch::Receiver<bool>) {
    let channel = enqueuer.invalidations_channel();
    loop {
        // A Sentinel failover moves the master: subscribe on the new one.
        let mut moved = enqueuer.moved();
        match enqueuer.pubsub().await {
            Ok(mut pubsub) => match pubsub.subscribe(&channel).await {
                Ok(()) => {
                    caches.set_subscribed(true);
                    let mut messages = pubsub.on_message();
                    let stopping = loop {
                        tokio::select! {
                            message = messages.next() => match message {
                                Some(message) => {
                                    let text: String = message.get_payload().unwrap_or_default();
                                    caches.apply(Invalidation::decode(&text));
                                }
                                None => break false,
                            },
                            Ok(()) = moved.changed() => break false,
                            _ = stop.wait_for(|stop| *stop) => break true,
                        }
                    };
                    caches.set_subscribed(false);
                    if stopping {
                        return;
                    }
                    tracing::warn!("cache invalidation subscription lost; reading through until it is back");
                }
                Err(e) => tracing::warn!(error = %e, "cannot subscribe to cache invalidations; retrying"),
            },
            Err(e) => tracing::debug!(error = %e, "redis unavailable for cache invalidations; reading through"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            // Asked to stop, or nobody left to ask.
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}
