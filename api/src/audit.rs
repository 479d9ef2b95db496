//! Writing audit rows for staff actions and security events.

use actix_web::HttpRequest;
use diesel_async::AsyncPgConnection;
use ordertrack_shared::models::NewAuditEntry;

use crate::auth::Principal;

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
        request_id: request_id(req),
        ip: req.peer_addr().map(|a| a.ip().to_string()),
        ..NewAuditEntry::default()
    }
}

/// A security event with no authenticated actor (bad signature, denied IP).
pub fn security_event(
    req: &HttpRequest,
    action: &str,
    target_type: &str,
    target_id: &str,
    detail: serde_json::Value,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: "anonymous".into(),
        role: "none".into(),
        action: action.to_owned(),
        target_type: Some(target_type.to_owned()),
        target_id: Some(target_id.to_owned()),
        after: Some(detail),
        request_id: request_id(req),
        ip: req.peer_addr().map(|a| a.ip().to_string()),
        ..NewAuditEntry::default()
    }
}

fn request_id(req: &HttpRequest) -> Option<String> {
    req.headers().get("X-Request-Id").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Best effort: a failed audit write is logged loudly, never hidden.
pub async fn record(conn: &mut AsyncPgConnection, entry: NewAuditEntry) {
    if let Err(e) = entry.insert(conn).await {
        tracing::error!(action = %entry.action, error = %e, "audit write failed");
    }
}
