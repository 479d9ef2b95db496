//! Read-mostly data cached per process: the active template versions
//! (compiled, in the worker), the order workflow, customers' notification
//! preferences and live API tokens. Every writer announces its change on Redis
//! pub/sub after commit ([`Invalidation`]); every process listens
//! (`listener::listen`) and drops what changed.
//!
//! Correctness never rests on a message arriving: entries are served only
//! while this process holds the subscription (anything may have changed while
//! it did not, so a new subscription starts empty), a load that raced an
//! invalidation is not kept, and entries expire after `CACHE_TTL_MS` anyway,
//! bounding what a lost `PUBLISH` can leave behind.
//!
//! Domain code deep in `orders` and `notify` reaches the process' caches
//! through a task-local ([`scope`], [`current`]) set by the api's middleware
//! and around every job, so their signatures stay about the domain; without
//! one (CLI, tests of pure logic) every read goes to Postgres.

pub mod listener;
mod map;

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

pub use self::map::CacheMap;
use crate::domain::{Channel, Locale, NotificationEvent};
use crate::models::{ApiToken, Preferences, TemplateKey};
use crate::orders::Workflow;
use crate::templates::CompiledTemplate;

/// What changed, as published on the namespace's invalidation channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalidation {
    /// A template version was activated, rolled back or seeded.
    Template(TemplateKey),
    Workflow,
    Preferences(Uuid),
    /// An API token was revoked.
    Token(Uuid),
}

impl Invalidation {
    pub fn encode(&self) -> String {
        match self {
            Invalidation::Template(k) => format!("template:{}:{}:{}", k.event, k.channel, k.locale),
            Invalidation::Workflow => "workflow".into(),
            Invalidation::Preferences(customer) => format!("preferences:{customer}"),
            Invalidation::Token(id) => format!("token:{id}"),
        }
    }

    /// `None` for a message this version does not know (a newer replica's):
    /// the listener then drops everything, which is always safe.
    pub fn decode(message: &str) -> Option<Invalidation> {
        let mut parts = message.split(':');
        let invalidation = match parts.next()? {
            "template" => Invalidation::Template(TemplateKey {
                event: parts.next()?.parse::<NotificationEvent>().ok()?,
                channel: parts.next()?.parse::<Channel>().ok()?,
                locale: parts.next()?.parse::<Locale>().ok()?,
            }),
            "workflow" => Invalidation::Workflow,
            "preferences" => Invalidation::Preferences(parts.next()?.parse().ok()?),
            "token" => Invalidation::Token(parts.next()?.parse().ok()?),
            _ => return None,
        };
        parts.next().is_none().then_some(invalidation)
    }
}

/// One process' caches. The api fills the workflow and preferences; the
/// worker also keeps the active template versions, compiled.
pub struct Caches {
    subscribed: AtomicBool,
    /// `None`: no stored version is active, the file template applies.
    pub templates: CacheMap<TemplateKey, Option<Arc<CompiledTemplate>>>,
    pub workflow: CacheMap<(), Arc<Workflow>>,
    /// Only customers who saved preferences; the defaults are not cached.
    pub preferences: CacheMap<Uuid, Preferences>,
    /// Live API tokens by the hash of their secret (expiry is checked at
    /// every use; a revocation is announced).
    pub tokens: CacheMap<Vec<u8>, ApiToken>,
}

impl Caches {
    pub fn new(ttl: Duration) -> Self {
        Caches {
            subscribed: AtomicBool::new(false),
            templates: CacheMap::new("templates", ttl),
            workflow: CacheMap::new("workflow", ttl),
            preferences: CacheMap::new("preferences", ttl),
            tokens: CacheMap::new("tokens", ttl),
        }
    }

    /// Whether entries may be served: only while the invalidations reach us.
    pub fn serving(&self) -> bool {
        self.subscribed.load(Ordering::SeqCst)
    }

    /// Called by the listener as the subscription comes and goes; either way
    /// nothing cached before can be trusted.
    pub fn set_subscribed(&self, subscribed: bool) {
        self.subscribed.store(subscribed, Ordering::SeqCst);
        self.clear();
    }

    pub fn apply(&self, invalidation: Option<Invalidation>) {
        match invalidation {
            Some(Invalidation::Template(key)) => self.templates.remove(&key),
            Some(Invalidation::Workflow) => self.workflow.remove(&()),
            Some(Invalidation::Preferences(customer)) => self.preferences.remove(&customer),
            Some(Invalidation::Token(id)) => self.tokens.remove_where(|token| token.id == id),
            None => self.clear(),
        }
    }

    pub fn clear(&self) {
        self.templates.clear();
        self.workflow.clear();
        self.preferences.clear();
        self.tokens.clear();
    }
}

tokio::task_local! {
    static CURRENT: Arc<Caches>;
}

/// Runs `work` with `caches` as the caches of its task.
pub async fn scope<F: Future>(caches: Arc<Caches>, work: F) -> F::Output {
    CURRENT.scope(caches, work).await
}

/// The caches of the running task, if it has some and they may be served.
pub fn current() -> Option<Arc<Caches>> {
    CURRENT.try_with(Arc::clone).ok().filter(|caches| caches.serving())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalidations_round_trip_and_unknown_messages_are_none() {
        let key = TemplateKey { event: NotificationEvent::OrderShipped, channel: Channel::Sms, locale: Locale::Ro };
        let customer = Uuid::new_v4();
        for invalidation in [
            Invalidation::Template(key),
            Invalidation::Workflow,
            Invalidation::Preferences(customer),
            Invalidation::Token(customer),
        ] {
            assert_eq!(Invalidation::decode(&invalidation.encode()), Some(invalidation));
        }
        assert_eq!(Invalidation::Template(key).encode(), "template:order_shipped:sms:ro");
        for unknown in
            ["", "workflow:extra", "template:order_shipped:sms", "template:nope:sms:ro", "preferences:42", "rates"]
        {
            assert_eq!(Invalidation::decode(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn entries_are_served_only_while_subscribed_and_an_unknown_message_drops_all() {
        let caches = Caches::new(Duration::from_secs(60));
        let customer = Uuid::new_v4();
        caches.set_subscribed(true);
        let generation = caches.workflow.generation();
        caches.workflow.put((), Arc::new(Workflow::default()), generation);
        assert!(caches.workflow.get(&()).is_some());
        caches.apply(Some(Invalidation::Preferences(customer)));
        assert!(caches.workflow.get(&()).is_some(), "another customer's preferences leave the workflow");
        caches.apply(None);
        assert!(caches.workflow.get(&()).is_none());
        caches.workflow.put((), Arc::new(Workflow::default()), caches.workflow.generation());
        caches.set_subscribed(false);
        assert!(!caches.serving());
        assert!(caches.workflow.get(&()).is_none(), "losing the subscription empties the cache");
    }
}
