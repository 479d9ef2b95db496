//! The in-process fan-out of one api replica: every connected live-update
//! client registers here with what it follows; the tailer hands each new
//! event to the clients that may see it through a bounded buffer. A client
//! whose buffer is full is dropped (its stream ends with a `dropped` event)
//! instead of holding anyone else up.
//!
//! Registration and dispatch share one lock, and the tailer records how far
//! it has dispatched under it: a new client replays from Postgres up to that
//! position and receives everything after it live, with no gap and no
//! duplicate.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use ordertrack_shared::domain::{Locale, OrderStatus};
use ordertrack_shared::metrics::{STREAM_CLIENTS, STREAM_DROPPED, STREAM_EVENTS_DELIVERED};
use ordertrack_shared::models::EventScope;
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use super::event::LiveEvent;
use crate::config::StreamConfig;

/// What a client follows.
#[derive(Debug, Clone)]
pub enum Follow {
    /// Some orders (one for an order stream; a WebSocket's subscriptions).
    Orders(HashSet<Uuid>),
    /// Every order of one customer, new ones included.
    Customer(Uuid),
    /// Every order (staff), optionally only orders in one status, or only
    /// customer requests and their outcomes.
    All { status: Option<OrderStatus>, requests_only: bool },
}

/// Who is connecting, for visibility and connection limits.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// Staff see staff-only events and internal fields.
    pub staff: bool,
    /// The language asked for when the stream opened; `None` reads each
    /// event in its order's language.
    pub locale: Option<Locale>,
    /// The token (or tracking code) the connection counts against.
    pub principal: String,
    pub ip: String,
    /// For metrics: order, me, tracking, admin, ws.
    pub kind: &'static str,
}

/// Why a client may not connect now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    PerPrincipal(usize),
    PerIp(usize),
    Full,
    /// The replica is still starting.
    NotReady,
}

struct Client {
    follow: Follow,
    viewer: Viewer,
    tx: mpsc::Sender<Arc<LiveEvent>>,
    dropped: Arc<AtomicBool>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    clients: HashMap<u64, Client>,
    by_order: HashMap<Uuid, HashSet<u64>>,
    by_customer: HashMap<Uuid, HashSet<u64>>,
    everything: HashSet<u64>,
    per_principal: HashMap<String, usize>,
    per_ip: HashMap<String, usize>,
    /// Every event with an id up to this one has been dispatched; `None`
    /// until the tailer has found where the log stands.
    position: Option<i64>,
}

pub struct Hub {
    inner: Mutex<Inner>,
    config: StreamConfig,
    shutdown: watch::Sender<bool>,
}

/// A registered client; unregisters when dropped.
pub struct Subscription {
    hub: Arc<Hub>,
    id: u64,
    pub events: mpsc::Receiver<Arc<LiveEvent>>,
    dropped: Arc<AtomicBool>,
    /// Where the live feed starts: events up to here come from Postgres.
    pub position: i64,
}

impl Hub {
    pub fn new(config: StreamConfig) -> Arc<Hub> {
        let (shutdown, _) = watch::channel(false);
        Arc::new(Hub { inner: Mutex::new(Inner::default()), config, shutdown })
    }

    /// Where the live feed starts, once (the tailer, at start-up).
    pub fn begin_at(&self, position: i64) {
        self.lock().position.get_or_insert(position);
    }

    pub fn config(&self) -> &StreamConfig {
        &self.config
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind: keep going.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a client, within the connection limits.
    pub fn subscribe(self: &Arc<Self>, follow: Follow, viewer: Viewer) -> Result<Subscription, Refusal> {
        let mut inner = self.lock();
        let Some(position) = inner.position else {
            return Err(Refusal::NotReady);
        };
        if inner.clients.len() >= self.config.max_total {
            return Err(Refusal::Full);
        }
        if inner.per_principal.get(&viewer.principal).copied().unwrap_or(0) >= self.config.max_per_principal {
            return Err(Refusal::PerPrincipal(self.config.max_per_principal));
        }
        if inner.per_ip.get(&viewer.ip).copied().unwrap_or(0) >= self.config.max_per_ip {
            return Err(Refusal::PerIp(self.config.max_per_ip));
        }
        inner.next_id += 1;
        let id = inner.next_id;
        let (tx, events) = mpsc::channel(self.config.client_buffer);
        let dropped = Arc::new(AtomicBool::new(false));
        *inner.per_principal.entry(viewer.principal.clone()).or_default() += 1;
        *inner.per_ip.entry(viewer.ip.clone()).or_default() += 1;
        STREAM_CLIENTS.with_label_values(&[viewer.kind]).inc();
        index(&mut inner, id, &follow);
        inner.clients.insert(id, Client { follow, viewer, tx, dropped: dropped.clone() });
        Ok(Subscription { hub: self.clone(), id, events, dropped, position })
    }

    /// Hands an event to every client that follows its order and may see
    /// it, then records it as dispatched.
    pub fn dispatch(&self, event: &Arc<LiveEvent>) {
        let mut inner = self.lock();
        let mut targets: Vec<u64> = Vec::new();
        targets.extend(inner.by_order.get(&event.order_id).into_iter().flatten());
        if let Some(customer) = event.customer_id {
            targets.extend(inner.by_customer.get(&customer).into_iter().flatten());
        }
        targets.extend(inner.everything.iter());
        let mut slow = Vec::new();
        for id in targets {
            let Some(client) = inner.clients.get(&id) else { continue };
            if !wants(client, event) {
                continue;
            }
            match client.tx.try_send(event.clone()) {
                Ok(()) => STREAM_EVENTS_DELIVERED.inc(),
                Err(mpsc::error::TrySendError::Full(_)) => slow.push(id),
                // The stream is ending; its subscription unregisters it.
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
        for id in slow {
            if let Some(client) = remove(&mut inner, id) {
                client.dropped.store(true, Ordering::Relaxed);
                STREAM_DROPPED.inc();
                tracing::info!(principal = %client.viewer.principal, "live-update client too slow; dropped");
            }
        }
        inner.position = Some(inner.position.unwrap_or(0).max(event.id));
    }

    /// With no client connected, records everything up to `latest` as
    /// dispatched (there is no one to hand it to) and says so; a client that
    /// connects later starts live after it. Otherwise changes nothing.
    pub fn skip_to_if_idle(&self, latest: i64) -> bool {
        let mut inner = self.lock();
        if !inner.clients.is_empty() {
            return false;
        }
        inner.position = Some(inner.position.unwrap_or(0).max(latest));
        true
    }

    /// Whether no client is connected.
    pub fn is_idle(&self) -> bool {
        self.lock().clients.is_empty()
    }

    /// How far events have been dispatched (`None` before start-up).
    pub fn position(&self) -> Option<i64> {
        self.lock().position
    }

    /// Follows one more order (WebSocket subscribe); returns the position
    /// from which its events arrive live.
    pub fn follow_order(&self, sub: &Subscription, order_id: Uuid) -> Option<i64> {
        let mut inner = self.lock();
        let position = inner.position?;
        let client = inner.clients.get_mut(&sub.id)?;
        if let Follow::Orders(orders) = &mut client.follow {
            orders.insert(order_id);
            inner.by_order.entry(order_id).or_default().insert(sub.id);
        }
        Some(position)
    }

    /// Stops following an order (WebSocket unsubscribe).
    pub fn unfollow_order(&self, sub: &Subscription, order_id: Uuid) {
        let mut inner = self.lock();
        let Some(client) = inner.clients.get_mut(&sub.id) else { return };
        if let Follow::Orders(orders) = &mut client.follow {
            orders.remove(&order_id);
            unindex_order(&mut inner, order_id, sub.id);
        }
    }

    /// Resolves once the server is shutting down.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Tells every stream to end with a `shutdown` event (clients reconnect
    /// to another replica).
    pub fn shut_down(&self) {
        let _ = self.shutdown.send(true);
    }

    pub fn clients(&self) -> usize {
        self.lock().clients.len()
    }
}

impl Subscription {
    /// Whether the hub dropped this client for being too slow.
    pub fn was_dropped(&self) -> bool {
        self.dropped.load(Ordering::Relaxed)
    }

    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut inner = self.hub.lock();
        remove(&mut inner, self.id);
    }
}

fn wants(client: &Client, event: &LiveEvent) -> bool {
    event.visible_to(client.viewer.staff) && client.follow.matches(event)
}

impl Follow {
    /// Whether an event belongs to what is followed.
    pub fn matches(&self, event: &LiveEvent) -> bool {
        match self {
            Follow::Orders(orders) => orders.contains(&event.order_id),
            Follow::Customer(customer) => event.customer_id == Some(*customer),
            Follow::All { status, requests_only } => {
                status.is_none_or(|s| s == event.order_status) && (!requests_only || event.is_request())
            }
        }
    }

    /// The narrowest query that finds these events.
    pub fn scope(&self) -> EventScope {
        match self {
            Follow::Orders(orders) if orders.len() == 1 => {
                orders.iter().next().map_or(EventScope::All, |o| EventScope::Order(*o))
            }
            Follow::Customer(customer) => EventScope::Customer(*customer),
            _ => EventScope::All,
        }
    }
}

fn index(inner: &mut Inner, id: u64, follow: &Follow) {
    match follow {
        Follow::Orders(orders) => {
            for order in orders {
                inner.by_order.entry(*order).or_default().insert(id);
            }
        }
        Follow::Customer(customer) => {
            inner.by_customer.entry(*customer).or_default().insert(id);
        }
        Follow::All { .. } => {
            inner.everything.insert(id);
        }
    }
}

fn unindex_order(inner: &mut Inner, order: Uuid, id: u64) {
    if let Some(ids) = inner.by_order.get_mut(&order) {
        ids.remove(&id);
        if ids.is_empty() {
            inner.by_order.remove(&order);
        }
    }
}

/// Forgets a client and its counts; `None` if it was already gone.
fn remove(inner: &mut Inner, id: u64) -> Option<Client> {
    let client = inner.clients.remove(&id)?;
    match &client.follow {
        Follow::Orders(orders) => {
            for order in orders.clone() {
                unindex_order(inner, order, id);
            }
        }
        Follow::Customer(customer) => {
            if let Some(ids) = inner.by_customer.get_mut(customer) {
                ids.remove(&id);
                if ids.is_empty() {
                    inner.by_customer.remove(customer);
                }
            }
        }
        Follow::All { .. } => {
            inner.everything.remove(&id);
        }
    }
    decrement(&mut inner.per_principal, &client.viewer.principal);
    decrement(&mut inner.per_ip, &client.viewer.ip);
    STREAM_CLIENTS.with_label_values(&[client.viewer.kind]).dec();
    Some(client)
}

fn decrement(counts: &mut HashMap<String, usize>, key: &str) {
    if let Some(count) = counts.get_mut(key) {
        *count -= 1;
        if *count == 0 {
            counts.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn hub() -> Arc<Hub> {
        Hub::new(StreamConfig {
            heartbeat: Duration::from_secs(15),
            poll_interval: Duration::from_secs(1),
            inbox_vacuum_after: 5_000,
            max_per_principal: 4,
            max_per_ip: 4,
            max_total: 16,
            client_buffer: 8,
            allowed_origins: Vec::new(),
        })
    }

    fn viewer() -> Viewer {
        Viewer { staff: true, locale: None, principal: "token".into(), ip: "127.0.0.1".into(), kind: "admin" }
    }

    #[test]
    fn an_idle_replica_skips_to_the_end_of_the_log_and_a_watched_one_does_not() {
        let hub = hub();
        hub.begin_at(10);
        assert!(hub.is_idle());
        assert!(hub.skip_to_if_idle(25));
        assert_eq!(hub.position(), Some(25));
        // Never backwards.
        assert!(hub.skip_to_if_idle(20));
        assert_eq!(hub.position(), Some(25));

        let subscription = hub.subscribe(Follow::All { status: None, requests_only: false }, viewer()).unwrap();
        assert_eq!(subscription.position, 25, "a client starts live after what was skipped");
        assert!(!hub.is_idle());
        assert!(!hub.skip_to_if_idle(40), "events a client may want are read, not skipped");
        assert_eq!(hub.position(), Some(25));
        drop(subscription);
        assert!(hub.skip_to_if_idle(40));
        assert_eq!(hub.position(), Some(40));
    }
}
