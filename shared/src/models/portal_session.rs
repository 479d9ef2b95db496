//! `portal_links` and `portal_sessions`: how a shopper signs in to the web
//! app. A storefront's backend asks for a single-use link for its signed-in
//! shopper (as Stripe's customer portal does); the shopper's browser trades
//! the link for a session whose secret lives only in an HttpOnly cookie.
//! Only SHA-256 hashes of link codes and session secrets are stored.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api_token::{hash_secret, new_secret};
use crate::domain::Locale;
use crate::schema::{portal_links, portal_sessions};

/// Link codes start with this, session secrets with [`SESSION_PREFIX`], so
/// one is recognizable in a log.
pub const LINK_PREFIX: &str = "opl_";
pub const SESSION_PREFIX: &str = "ops_";

/// What a link or session was issued for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalGrant {
    pub customer_id: Uuid,
    pub locale: Locale,
    /// Where "back to the store" goes.
    pub return_url: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = portal_links)]
struct NewPortalLink<'a> {
    link_hash: Vec<u8>,
    customer_id: Uuid,
    locale: Locale,
    return_url: Option<&'a str>,
    created_by: Option<Uuid>,
    expires_at: DateTime<Utc>,
}

pub struct PortalLink;

impl PortalLink {
    /// Issues a link code for `grant`, valid until `expires_at`, asked for by
    /// the token `created_by` (`None`: the command line); returns the code
    /// (never stored).
    pub async fn issue(
        conn: &mut AsyncPgConnection,
        grant: &PortalGrant,
        created_by: Option<Uuid>,
        expires_at: DateTime<Utc>,
    ) -> QueryResult<String> {
        let code = new_secret(LINK_PREFIX);
        diesel::insert_into(portal_links::table)
            .values(NewPortalLink {
                link_hash: hash_secret(&code),
                customer_id: grant.customer_id,
                locale: grant.locale,
                return_url: grant.return_url.as_deref(),
                created_by,
                expires_at,
            })
            .execute(conn)
            .await?;
        Ok(code)
    }

    /// Consumes a link: deleted whatever happens next, so it works once.
    /// `None` for an unknown, used or expired code.
    pub async fn redeem(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<PortalGrant>> {
        if !code.starts_with(LINK_PREFIX) {
            return Ok(None);
        }
        let taken: Option<(Uuid, Locale, Option<String>, DateTime<Utc>)> =
            diesel::delete(portal_links::table.filter(portal_links::link_hash.eq(hash_secret(code))))
                .returning((
                    portal_links::customer_id,
                    portal_links::locale,
                    portal_links::return_url,
                    portal_links::expires_at,
                ))
                .get_result(conn)
                .await
                .optional()?;
        Ok(taken
            .filter(|(.., expires_at)| *expires_at > Utc::now())
            .map(|(customer_id, locale, return_url, _)| PortalGrant { customer_id, locale, return_url }))
    }

    /// Deletes expired links; returns how many.
    pub async fn delete_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
        diesel::delete(portal_links::table.filter(portal_links::expires_at.lt(diesel::dsl::now))).execute(conn).await
    }
}

/// How long sessions last: renewed on use up to `idle`, never past `max`.
#[derive(Debug, Clone, Copy)]
pub struct SessionLifetime {
    pub idle: Duration,
    pub max: Duration,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = portal_sessions)]
pub struct PortalSession {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub locale: Locale,
    pub return_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub idle_expires_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = portal_sessions)]
struct NewPortalSession<'a> {
    id: Uuid,
    session_hash: Vec<u8>,
    customer_id: Uuid,
    locale: Locale,
    return_url: Option<&'a str>,
    idle_expires_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// Renewal is written at most this often per session, so a page that polls
/// does not write on every request.
const RENEW_EVERY: Duration = Duration::minutes(1);

impl PortalSession {
    /// Starts a session for `grant`; returns it with its secret (never stored).
    pub async fn start(
        conn: &mut AsyncPgConnection,
        grant: &PortalGrant,
        lifetime: SessionLifetime,
    ) -> QueryResult<(PortalSession, String)> {
        let secret = new_secret(SESSION_PREFIX);
        let now = Utc::now();
        let session = diesel::insert_into(portal_sessions::table)
            .values(NewPortalSession {
                id: Uuid::now_v7(),
                session_hash: hash_secret(&secret),
                customer_id: grant.customer_id,
                locale: grant.locale,
                return_url: grant.return_url.as_deref(),
                idle_expires_at: now + lifetime.idle.min(lifetime.max),
                expires_at: now + lifetime.max,
            })
            .returning(PortalSession::as_returning())
            .get_result(conn)
            .await?;
        Ok((session, secret))
    }

    /// The live session with this secret: not ended, not idle too long, not
    /// past its absolute limit. `None` otherwise.
    pub async fn authenticate(conn: &mut AsyncPgConnection, secret: &str) -> QueryResult<Option<PortalSession>> {
        if !secret.starts_with(SESSION_PREFIX) {
            return Ok(None);
        }
        portal_sessions::table
            .filter(portal_sessions::session_hash.eq(hash_secret(secret)))
            .filter(portal_sessions::ended_at.is_null())
            .filter(portal_sessions::idle_expires_at.gt(diesel::dsl::now))
            .filter(portal_sessions::expires_at.gt(diesel::dsl::now))
            .select(PortalSession::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<PortalSession> {
        portal_sessions::table.find(id).select(PortalSession::as_select()).first(conn).await
    }

    /// Whether a use at `now` should push the idle limit on.
    pub fn renewal_due(&self, now: DateTime<Utc>) -> bool {
        now - self.last_used_at >= RENEW_EVERY
    }

    /// Renews the idle limit from `now`, capped by the absolute limit;
    /// returns the new idle limit.
    pub async fn renew(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        now: DateTime<Utc>,
        idle: Duration,
    ) -> QueryResult<DateTime<Utc>> {
        diesel::update(portal_sessions::table.find(id))
            .set((
                portal_sessions::last_used_at.eq(now),
                portal_sessions::idle_expires_at.eq(diesel::dsl::sql::<diesel::sql_types::Timestamptz>(
                    "LEAST(portal_sessions.expires_at, ",
                )
                .bind::<diesel::sql_types::Timestamptz, _>(now + idle)
                .sql(")")),
            ))
            .returning(portal_sessions::idle_expires_at)
            .get_result(conn)
            .await
    }

    /// Signs the session out; later uses of its cookie are refused.
    pub async fn end(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
        diesel::update(portal_sessions::table.find(id))
            .set(portal_sessions::ended_at.eq(diesel::dsl::now))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Deletes sessions that can no longer be used; returns how many.
    pub async fn delete_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
        diesel::delete(
            portal_sessions::table.filter(
                portal_sessions::expires_at
                    .lt(diesel::dsl::now)
                    .or(portal_sessions::idle_expires_at.lt(diesel::dsl::now))
                    .or(portal_sessions::ended_at.is_not_null()),
            ),
        )
        .execute(conn)
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(last_used_at: DateTime<Utc>) -> PortalSession {
        PortalSession {
            id: Uuid::nil(),
            customer_id: Uuid::nil(),
            locale: Locale::En,
            return_url: None,
            created_at: last_used_at,
            last_used_at,
            idle_expires_at: last_used_at,
            expires_at: last_used_at,
        }
    }

    #[test]
    fn renewal_is_written_at_most_once_a_minute() {
        let used = Utc::now();
        assert!(!session(used).renewal_due(used + Duration::seconds(59)));
        assert!(session(used).renewal_due(used + Duration::seconds(60)));
    }

    #[test]
    fn secrets_are_long_random_and_prefixed() {
        let (a, b) = (new_secret(LINK_PREFIX), new_secret(LINK_PREFIX));
        assert_ne!(a, b);
        assert!(a.starts_with(LINK_PREFIX) && a.len() == LINK_PREFIX.len() + 43, "{a}");
    }
}
