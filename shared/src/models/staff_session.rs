//! `staff_sessions`: a person signed in to the console. The secret lives only
//! in an HttpOnly cookie; the table keeps its SHA-256. Renewed on use up to
//! an idle limit, never past an absolute one; an admin can end any of them.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api_token::{hash_secret, new_secret};
use super::portal_session::SessionLifetime;
use super::StaffUser;
use crate::schema::{staff_sessions, staff_users};

pub const STAFF_SESSION_PREFIX: &str = "oss_";

/// Renewal is written at most this often per session.
const RENEW_EVERY: Duration = Duration::minutes(1);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_sessions)]
pub struct StaffSession {
    pub id: Uuid,
    pub user_id: Uuid,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub idle_expires_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl StaffSession {
    /// Starts a session for `user_id`; returns it with its secret (never stored).
    pub async fn start(
        conn: &mut AsyncPgConnection,
        user_id: Uuid,
        ip: Option<&str>,
        lifetime: SessionLifetime,
    ) -> QueryResult<(StaffSession, String)> {
        let secret = new_secret(STAFF_SESSION_PREFIX);
        let now = Utc::now();
        let session = diesel::insert_into(staff_sessions::table)
            .values((
                staff_sessions::id.eq(Uuid::now_v7()),
                staff_sessions::session_hash.eq(hash_secret(&secret)),
                staff_sessions::user_id.eq(user_id),
                staff_sessions::ip.eq(ip),
                staff_sessions::idle_expires_at.eq(now + lifetime.idle.min(lifetime.max)),
                staff_sessions::expires_at.eq(now + lifetime.max),
            ))
            .returning(StaffSession::as_returning())
            .get_result(conn)
            .await?;
        Ok((session, secret))
    }

    /// The live session with this secret and its person, who must not be
    /// disabled. `None` otherwise.
    pub async fn authenticate(
        conn: &mut AsyncPgConnection,
        secret: &str,
    ) -> QueryResult<Option<(StaffSession, StaffUser)>> {
        if !secret.starts_with(STAFF_SESSION_PREFIX) {
            return Ok(None);
        }
        staff_sessions::table
            .inner_join(staff_users::table)
            .filter(staff_sessions::session_hash.eq(hash_secret(secret)))
            .filter(staff_sessions::ended_at.is_null())
            .filter(staff_sessions::idle_expires_at.gt(diesel::dsl::now))
            .filter(staff_sessions::expires_at.gt(diesel::dsl::now))
            .filter(staff_users::disabled_at.is_null())
            .select((StaffSession::as_select(), StaffUser::as_select()))
            .first(conn)
            .await
            .optional()
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<StaffSession> {
        staff_sessions::table.find(id).select(StaffSession::as_select()).first(conn).await
    }

    pub fn renewal_due(&self, now: DateTime<Utc>) -> bool {
        now - self.last_used_at >= RENEW_EVERY
    }

    /// Renews the idle limit from `now`, capped by the absolute limit.
    pub async fn renew(conn: &mut AsyncPgConnection, id: Uuid, now: DateTime<Utc>, idle: Duration) -> QueryResult<()> {
        diesel::update(staff_sessions::table.find(id))
            .set((
                staff_sessions::last_used_at.eq(now),
                staff_sessions::idle_expires_at.eq(diesel::dsl::sql::<diesel::sql_types::Timestamptz>(
                    "LEAST(staff_sessions.expires_at, ",
                )
                .bind::<diesel::sql_types::Timestamptz, _>(now + idle)
                .sql(")")),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Ends a session (sign-out, or an admin's hand); `false` if it had ended.
    pub async fn end(conn: &mut AsyncPgConnection, id: Uuid, ended_by: &str) -> QueryResult<bool> {
        diesel::update(staff_sessions::table.find(id).filter(staff_sessions::ended_at.is_null()))
            .set((staff_sessions::ended_at.eq(diesel::dsl::now), staff_sessions::ended_by.eq(ended_by)))
            .execute(conn)
            .await
            .map(|n| n == 1)
    }

    /// Ends every session of a person (disabled, or a new password).
    pub async fn end_all_of(conn: &mut AsyncPgConnection, user_id: Uuid, ended_by: &str) -> QueryResult<usize> {
        diesel::update(
            staff_sessions::table
                .filter(staff_sessions::user_id.eq(user_id))
                .filter(staff_sessions::ended_at.is_null()),
        )
        .set((staff_sessions::ended_at.eq(diesel::dsl::now), staff_sessions::ended_by.eq(ended_by)))
        .execute(conn)
        .await
    }

    /// Sessions that are still usable, newest first, with their people.
    pub async fn active(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(StaffSession, StaffUser)>> {
        staff_sessions::table
            .inner_join(staff_users::table)
            .filter(staff_sessions::ended_at.is_null())
            .filter(staff_sessions::idle_expires_at.gt(diesel::dsl::now))
            .filter(staff_sessions::expires_at.gt(diesel::dsl::now))
            .order(staff_sessions::last_used_at.desc())
            .select((StaffSession::as_select(), StaffUser::as_select()))
            .load(conn)
            .await
    }

    /// Deletes sessions past their absolute limit (ended and idle ones stay
    /// listed until then); returns how many.
    pub async fn delete_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
        diesel::delete(staff_sessions::table.filter(staff_sessions::expires_at.lt(diesel::dsl::now)))
            .execute(conn)
            .await
    }
}
