//! Bearer tokens. The secret is shown once at creation; only its SHA-256 is
//! stored (the secret is 256 random bits, so a fast hash is enough).

use base64::Engine;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::Role;
use crate::schema::api_tokens;

/// Every token starts with this, so a leaked one is easy to grep for.
pub const TOKEN_PREFIX: &str = "otk_";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: Uuid,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the token was last accepted, to the minute (see [`ApiToken::touch`]).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// `last_used_at` is written at most this often per token, so a busy token
/// costs one write a minute, not one per request.
pub const LAST_USED_RESOLUTION: chrono::Duration = chrono::Duration::seconds(60);

#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
struct NewApiToken<'a> {
    id: Uuid,
    token_hash: Vec<u8>,
    role: Role,
    customer_id: Option<Uuid>,
    label: &'a str,
    expires_at: Option<DateTime<Utc>>,
}

pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// 256 random bits, URL-safe, after `prefix` (which makes a secret
/// recognizable in a log): every token, ticket, link code and session
/// secret. Only [`hash_secret`] of it is stored.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

impl ApiToken {
    /// Mints a token; returns the stored row and the secret (never stored).
    pub async fn mint(
        conn: &mut AsyncPgConnection,
        role: Role,
        customer_id: Option<Uuid>,
        label: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> QueryResult<(ApiToken, String)> {
        let secret = new_secret(TOKEN_PREFIX);
        let token = diesel::insert_into(api_tokens::table)
            .values(NewApiToken {
                id: Uuid::now_v7(),
                token_hash: hash_secret(&secret),
                role,
                customer_id,
                label,
                expires_at,
            })
            .returning(ApiToken::as_returning())
            .get_result(conn)
            .await?;
        Ok((token, secret))
    }

    /// The live token for a presented secret, if any: from this process'
    /// cache while it hears revocations (`cache`), else Postgres. Expiry is
    /// checked at every use.
    pub async fn authenticate(conn: &mut AsyncPgConnection, secret: &str) -> QueryResult<Option<ApiToken>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = hash_secret(secret);
        let Some(caches) = crate::cache::current() else { return Self::live_by_hash(conn, &hash).await };
        if let Some(token) = caches.tokens.get(&hash) {
            return Ok(token.expires_at.is_none_or(|at| at > Utc::now()).then_some(token));
        }
        let generation = caches.tokens.generation();
        let token = Self::live_by_hash(conn, &hash).await?;
        if let Some(token) = &token {
            caches.tokens.put(hash, token.clone(), generation);
        }
        Ok(token)
    }

    /// Notes in the cache that `token` was just used (see [`touch`](Self::touch)),
    /// so its next requests do not write again within the minute.
    pub fn note_use(secret: &str, token: &ApiToken, at: DateTime<Utc>) {
        if let Some(caches) = crate::cache::current() {
            let hash = hash_secret(secret);
            let generation = caches.tokens.generation();
            if caches.tokens.get(&hash).is_some_and(|cached| cached.id == token.id) {
                caches.tokens.put(hash, ApiToken { last_used_at: Some(at), ..token.clone() }, generation);
            }
        }
    }

    async fn live_by_hash(conn: &mut AsyncPgConnection, hash: &[u8]) -> QueryResult<Option<ApiToken>> {
        api_tokens::table
            .filter(api_tokens::token_hash.eq(hash))
            .filter(api_tokens::revoked_at.is_null())
            .filter(api_tokens::expires_at.is_null().or(api_tokens::expires_at.gt(diesel::dsl::now)))
            .select(ApiToken::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Whether `last_used_at` is older than [`LAST_USED_RESOLUTION`] (or unset).
    pub fn last_use_is_stale(&self, now: DateTime<Utc>) -> bool {
        self.last_used_at.is_none_or(|at| at <= now - LAST_USED_RESOLUTION)
    }

    /// Records a use: sets `last_used_at` unless another request (on any
    /// replica) did within the last [`LAST_USED_RESOLUTION`].
    pub async fn touch(conn: &mut AsyncPgConnection, id: Uuid, now: DateTime<Utc>) -> QueryResult<usize> {
        diesel::update(
            api_tokens::table
                .filter(api_tokens::id.eq(id))
                .filter(api_tokens::last_used_at.is_null().or(api_tokens::last_used_at.le(now - LAST_USED_RESOLUTION))),
        )
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)
        .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<ApiToken> {
        api_tokens::table.find(id).select(ApiToken::as_select()).first(conn).await
    }

    /// A page of tokens, newest first, after the (created_at, id) of the
    /// previous page's last row.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<ApiToken>> {
        let mut query = api_tokens::table.select(ApiToken::as_select()).into_boxed();
        if let Some((at, id)) = after {
            query = query
                .filter(api_tokens::created_at.lt(at).or(api_tokens::created_at.eq(at).and(api_tokens::id.lt(id))));
        }
        query.order((api_tokens::created_at.desc(), api_tokens::id.desc())).limit(limit).load(conn).await
    }

    /// Revokes a live token; `None` if it was already revoked (or does not
    /// exist). Every replica checks tokens against this table on every
    /// request, so the next request with it is refused everywhere.
    pub async fn revoke(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ApiToken>> {
        diesel::update(api_tokens::table.filter(api_tokens::id.eq(id)).filter(api_tokens::revoked_at.is_null()))
            .set(api_tokens::revoked_at.eq(Utc::now()))
            .returning(ApiToken::as_returning())
            .get_result(conn)
            .await
            .optional()
    }
}
