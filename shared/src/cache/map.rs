//! One cache: a map whose entries expire, and whose loads cannot store a
//! value an invalidation already overtook.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::metrics::CACHE_LOOKUPS;

/// Entries a map holds at most, so that one keyed by customer stays small
/// however many customers the process serves.
const CAPACITY: usize = 10_000;

pub struct CacheMap<K, V> {
    /// The `cache` label of `cache_lookups_total`.
    name: &'static str,
    ttl: Duration,
    capacity: usize,
    /// Moves on every invalidation; a load stores only if it did not move.
    generation: AtomicU64,
    entries: Mutex<HashMap<K, (V, Instant)>>,
}

impl<K: Eq + Hash, V: Clone> CacheMap<K, V> {
    pub fn new(name: &'static str, ttl: Duration) -> Self {
        Self::with_capacity(name, ttl, CAPACITY)
    }

    pub fn with_capacity(name: &'static str, ttl: Duration, capacity: usize) -> Self {
        CacheMap { name, ttl, capacity, generation: AtomicU64::new(0), entries: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let hit = entries.get(key).filter(|(_, filled)| filled.elapsed() < self.ttl).map(|(value, _)| value.clone());
        let outcome = if hit.is_some() { "hit" } else { "miss" };
        CACHE_LOOKUPS.with_label_values(&[self.name, outcome]).inc();
        hit
    }

    /// Read before loading a value, and handed to [`put`](Self::put).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps `value` unless an invalidation came after `generation` was read.
    pub fn put(&self, key: K, value: V, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Checked under the lock: `remove` and `clear` move it under the lock too.
        if self.generation() != generation {
            return;
        }
        // Full: the expired entries go; if none had expired, everything does (a
        // cold start now and then beats a scan on every insert).
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, (_, filled)| filled.elapsed() < self.ttl);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (value, Instant::now()));
    }

    pub fn remove(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.remove(key);
    }

    /// Drops every entry whose value matches (a token, found by its id).
    pub fn remove_where(&self, matches: impl Fn(&V) -> bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.retain(|_, (value, _)| !matches(value));
    }

    pub fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_overtaken_by_an_invalidation_is_not_kept() {
        let map = CacheMap::new("test", Duration::from_secs(60));
        let before = map.generation();
        map.remove(&"other");
        map.put("key", 1, before);
        assert_eq!(map.get(&"key"), None);
        map.put("key", 2, map.generation());
        assert_eq!(map.get(&"key"), Some(2));
    }

    #[test]
    fn a_full_map_makes_room_expired_entries_first() {
        // A TTL far above a scheduling stall: only "old" may expire here.
        let map = CacheMap::with_capacity("test", Duration::from_millis(500), 2);
        map.put("old", 1, map.generation());
        std::thread::sleep(Duration::from_millis(600));
        map.put("a", 2, map.generation());
        map.put("b", 3, map.generation());
        assert_eq!((map.len(), map.get(&"a"), map.get(&"b")), (2, Some(2), Some(3)), "the expired one made room");
    }

    #[test]
    fn a_full_map_of_live_entries_replaces_in_place_or_starts_over() {
        let map = CacheMap::with_capacity("test", Duration::from_secs(60), 2);
        map.put("a", 2, map.generation());
        map.put("b", 3, map.generation());
        map.put("a", 4, map.generation());
        assert_eq!((map.len(), map.get(&"a")), (2, Some(4)), "a key it holds is replaced in place");
        map.put("c", 5, map.generation());
        assert_eq!((map.len(), map.get(&"c"), map.get(&"b")), (1, Some(5), None), "full of live entries: starts over");
    }

    #[test]
    fn entries_expire() {
        let map = CacheMap::new("test", Duration::from_millis(20));
        map.put("key", 1, map.generation());
        assert_eq!(map.get(&"key"), Some(1));
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(map.get(&"key"), None);
    }
}
