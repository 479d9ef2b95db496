//! The append-only audit log (a trigger refuses updates and deletes).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::audit_log;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Insertable, serde::Serialize)]
// `None` is written as NULL, not DEFAULT (the same for these columns):
// a constant statement, which diesel prepares once per connection.
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct NewAuditEntry {
    pub actor: String,
    pub role: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl NewAuditEntry {
    /// Takes a shared connection so it can be pipelined with other writes.
    pub async fn insert(&self, mut conn: &AsyncPgConnection) -> QueryResult<()> {
        diesel::insert_into(audit_log::table).values(self).execute(&mut conn).await.map(|_| ())
    }
}

impl AuditEntry {
    pub async fn for_target(
        conn: &mut AsyncPgConnection,
        target_type: &str,
        target_id: &str,
    ) -> QueryResult<Vec<AuditEntry>> {
        audit_log::table
            .filter(audit_log::target_type.eq(target_type))
            .filter(audit_log::target_id.eq(target_id))
            .order((audit_log::created_at.asc(), audit_log::id.asc()))
            .select(AuditEntry::as_select())
            .load(conn)
            .await
    }

    pub async fn by_action(conn: &mut AsyncPgConnection, action: &str) -> QueryResult<Vec<AuditEntry>> {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .order((audit_log::created_at.asc(), audit_log::id.asc()))
            .select(AuditEntry::as_select())
            .load(conn)
            .await
    }

    /// A page of the log, newest first, filtered.
    pub async fn search(
        conn: &mut AsyncPgConnection,
        filter: &AuditFilter,
        limit: i64,
    ) -> QueryResult<Vec<AuditEntry>> {
        let mut query = audit_log::table.select(AuditEntry::as_select()).into_boxed();
        if let Some(actor) = &filter.actor {
            query = query.filter(audit_log::actor.like(format!("%{}%", crate::db::like_literal(actor))));
        }
        if let Some(action) = &filter.action {
            query = query.filter(audit_log::action.like(format!("{}%", crate::db::like_literal(action))));
        }
        if let Some(target_type) = &filter.target_type {
            query = query.filter(audit_log::target_type.eq(target_type.clone()));
        }
        if let Some(target_id) = &filter.target_id {
            query = query.filter(audit_log::target_id.eq(target_id.clone()));
        }
        if let Some(since) = filter.since {
            query = query.filter(audit_log::created_at.ge(since));
        }
        if let Some(until) = filter.until {
            query = query.filter(audit_log::created_at.lt(until));
        }
        if let Some(before_id) = filter.before_id {
            query = query.filter(audit_log::id.lt(before_id));
        }
        query.order(audit_log::id.desc()).limit(limit).load(conn).await
    }
}

/// What to look for in the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Part of the actor.
    pub actor: Option<String>,
    /// An action or its prefix (`order.` for every order action).
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Keyset pagination: entries older than this id.
    pub before_id: Option<i64>,
}
