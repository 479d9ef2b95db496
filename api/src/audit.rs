//! Writing audit rows for staff actions and security events.
//!
//! Every row carries the request id the middleware assigned and the client IP
//! (through `TRUSTED_PROXIES`, `client_ip.rs`).
//!
//! Refused requests (401, 403, 429, rejected webhooks) go through
//! [`refusal`]: a row is written for the first refusal of a client IP, actor,
//! action and reason in each [`REFUSAL_WINDOW_SECS`] window; the others of
//! that window are only counted (in Redis, and in the
//! `security_refusals_total{action, audit="suppressed"}` metric). The first
//! row of the next window records the previous window's total in
//! `after.previous_window_refusals`. A flood therefore writes a bounded number
//! of rows however many requests it sends.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use actix_web::{HttpMessage, HttpRequest};
use diesel_async::AsyncPgConnection;
use ordertrack_shared::db::DbPool;
use ordertrack_shared::jobs::Enqueuer;
use ordertrack_shared::metrics::SECURITY_REFUSALS;
use ordertrack_shared::models::NewAuditEntry;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::client_ip::client_ip;
use crate::request_id;
use crate::state::AppState;

/// The window in which one refusal per client IP, actor, action and reason is
/// written to the audit log.
pub const REFUSAL_WINDOW_SECS: u64 = 60;

/// Marks a request whose refusal has been audited, so the middleware does not
/// write a second row for it.
#[derive(Debug, Clone, Copy)]
pub struct RefusalAudited;

/// An audit row for an action by `principal` on a target.
pub fn entry(
    principal: &Principal,
    req: &HttpRequest,
    action: &str,
    target_type: &str,
    target_id: &str,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: principal.actor(),
        role: principal.role.to_string(),
        action: action.to_owned(),
        target_type: Some(target_type.to_owned()),
        target_id: Some(target_id.to_owned()),
        request_id: request_id::of(req),
        ip: ip_of(req),
        ..NewAuditEntry::default()
    }
}

/// An audit row for a sign-in event of `user` (before there is a principal).
pub fn staff_event(user: &ordertrack_shared::models::StaffUser, req: &HttpRequest, action: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: user.actor(),
        role: user.role.to_string(),
        action: action.to_owned(),
        target_type: Some("staff_user".to_owned()),
        target_id: Some(user.id.to_string()),
        request_id: request_id::of(req),
        ip: ip_of(req),
        ..NewAuditEntry::default()
    }
}

/// The client IP of a request, through the trusted proxies.
pub fn ip_of(req: &HttpRequest) -> Option<String> {
    let state = req.app_data::<actix_web::web::Data<AppState>>()?;
    client_ip(req, &state.config.webhooks.trusted_proxies).map(|ip| ip.to_string())
}

/// Best effort: a failed audit write is logged loudly, never hidden.
pub async fn record(conn: &mut AsyncPgConnection, entry: NewAuditEntry) {
    if let Err(e) = entry.insert(conn).await {
        tracing::error!(action = %entry.action, error = %e, "audit write failed");
    }
}

/// A refused request, as the audit log records it.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// `security.unauthenticated`, `webhook.signature_rejected`, ...
    pub action: &'static str,
    /// Why, in a few stable words: one row per client IP, actor, action and
    /// reason per window.
    pub reason: String,
    pub target_type: &'static str,
    pub target_id: String,
    /// More facts for `after` (an object), besides `reason`.
    pub detail: Value,
}

/// Prepares the audit of a refused request (see the module notes); the row
/// is written (or only counted) by [`PendingRefusal::write`], which handlers
/// await and the middleware spawns. The actor is the caller's token when one
/// was accepted (a 403, a per-token 429), else anonymous. Marks the request
/// [`RefusalAudited`].
pub fn refusal(state: &AppState, req: &HttpRequest, refusal: Refusal) -> PendingRefusal {
    req.extensions_mut().insert(RefusalAudited);
    let principal = req.extensions().get::<Principal>().cloned();
    let (actor, role) = match &principal {
        Some(p) => (p.actor(), p.role.to_string()),
        None => ("anonymous".to_owned(), "none".to_owned()),
    };
    let ip = client_ip(req, &state.config.webhooks.trusted_proxies).map(|ip| ip.to_string());
    let key = {
        let raw = format!("{}\n{}\n{actor}\n{}", refusal.action, ip.as_deref().unwrap_or_default(), refusal.reason);
        hex::encode(&Sha256::digest(raw.as_bytes())[..12])
    };
    let mut after = match refusal.detail {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    after.insert("reason".into(), refusal.reason.into());
    let entry = NewAuditEntry {
        actor,
        role,
        action: refusal.action.to_owned(),
        target_type: Some(refusal.target_type.to_owned()),
        target_id: Some(refusal.target_id),
        request_id: request_id::of(req),
        ip,
        ..NewAuditEntry::default()
    };
    PendingRefusal { key, entry, after, redis: state.enqueuer.clone(), db: state.db.clone() }
}

/// A refusal's audit, ready to be counted and, if first in its window, written.
#[must_use = "a refusal is audited only once written"]
pub struct PendingRefusal {
    key: String,
    entry: NewAuditEntry,
    after: serde_json::Map<String, Value>,
    redis: Enqueuer,
    db: DbPool,
}

impl PendingRefusal {
    pub async fn write(self) {
        let PendingRefusal { key, entry, mut after, redis, db } = self;
        let counts =
            ordertrack_shared::rate_limit::count_with_previous(&redis, "refusal-audit", &key, REFUSAL_WINDOW_SECS)
                .await;
        let write = match counts {
            Some((1, previous)) => {
                first_here_in_window(&key);
                after.insert("window_secs".into(), REFUSAL_WINDOW_SECS.into());
                if previous > 0 {
                    after.insert("previous_window_refusals".into(), previous.into());
                }
                true
            }
            Some(_) => {
                first_here_in_window(&key);
                false
            }
            // Redis did not answer: one row per key and window on this replica.
            None => first_here_in_window(&key),
        };
        SECURITY_REFUSALS
            .with_label_values(&[entry.action.as_str(), if write { "written" } else { "suppressed" }])
            .inc();
        if !write {
            return;
        }
        let entry = NewAuditEntry { after: Some(Value::Object(after)), ..entry };
        match db.get().await {
            Ok(mut conn) => record(&mut conn, entry).await,
            Err(e) => tracing::error!(error = %e, "security audit write failed: no connection"),
        }
    }
}

/// Notes that `key` has its row for the current window (written here, or
/// counted by Redis after another replica's); returns whether it had none
/// yet. When Redis does not answer, this alone keeps a replica to one row
/// per key and window, and a slow Redis never causes a second row for a key
/// that Redis already counted.
fn first_here_in_window(key: &str) -> bool {
    static SEEN: LazyLock<Mutex<(u64, HashSet<String>)>> = LazyLock::new(Mutex::default);
    let window = chrono::Utc::now().timestamp() as u64 / REFUSAL_WINDOW_SECS;
    let mut seen = SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if seen.0 != window {
        *seen = (window, HashSet::new());
    }
    seen.1.insert(key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_redis_a_key_is_written_once_per_window_and_process() {
        let key = format!("test-{}", uuid::Uuid::new_v4());
        let first = first_here_in_window(&key);
        let second = first_here_in_window(&key);
        // A window boundary between the two calls would make both first.
        assert!(first);
        assert!(!second || chrono::Utc::now().timestamp() % REFUSAL_WINDOW_SECS as i64 == 0);
    }
}
