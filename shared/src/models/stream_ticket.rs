//! `stream_tickets`: single-use, short-lived passes that let a browser open an
//! event stream without putting a long-lived token in a URL. Only the
//! SHA-256 of the ticket is stored.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api_token::{hash_secret, new_secret};
use super::ApiToken;
use crate::schema::{api_tokens, stream_tickets};

/// Every ticket starts with this, so one is recognizable in a log.
pub const TICKET_PREFIX: &str = "ost_";

#[derive(Debug, Insertable)]
#[diesel(table_name = stream_tickets)]
struct NewStreamTicket<'a> {
    ticket_hash: Vec<u8>,
    token_id: Uuid,
    scope: &'a str,
    order_id: Option<Uuid>,
    expires_at: DateTime<Utc>,
}

/// What a redeemed ticket was issued for, and to whom.
#[derive(Debug, Clone)]
pub struct RedeemedTicket {
    pub token: ApiToken,
    pub scope: String,
    pub order_id: Option<Uuid>,
}

pub struct StreamTicket;

impl StreamTicket {
    /// Issues a ticket for `token`; returns the secret (never stored).
    pub async fn issue(
        conn: &mut AsyncPgConnection,
        token_id: Uuid,
        scope: &str,
        order_id: Option<Uuid>,
        expires_at: DateTime<Utc>,
    ) -> QueryResult<String> {
        let secret = new_secret(TICKET_PREFIX);
        diesel::insert_into(stream_tickets::table)
            .values(NewStreamTicket { ticket_hash: hash_secret(&secret), token_id, scope, order_id, expires_at })
            .execute(conn)
            .await?;
        Ok(secret)
    }

    /// Consumes a ticket: deleted whatever happens next, so it works once.
    /// `None` for an unknown, used or expired ticket, or one whose token was
    /// revoked or has expired since.
    pub async fn redeem(conn: &mut AsyncPgConnection, secret: &str) -> QueryResult<Option<RedeemedTicket>> {
        if !secret.starts_with(TICKET_PREFIX) {
            return Ok(None);
        }
        let taken: Option<(Uuid, String, Option<Uuid>, DateTime<Utc>)> =
            diesel::delete(stream_tickets::table.filter(stream_tickets::ticket_hash.eq(hash_secret(secret))))
                .returning((
                    stream_tickets::token_id,
                    stream_tickets::scope,
                    stream_tickets::order_id,
                    stream_tickets::expires_at,
                ))
                .get_result(conn)
                .await
                .optional()?;
        let Some((token_id, scope, order_id, _)) = taken.filter(|(.., expires_at)| *expires_at > Utc::now()) else {
            return Ok(None);
        };
        let token = api_tokens::table
            .find(token_id)
            .filter(api_tokens::revoked_at.is_null())
            .filter(api_tokens::expires_at.is_null().or(api_tokens::expires_at.gt(diesel::dsl::now)))
            .select(ApiToken::as_select())
            .first(conn)
            .await
            .optional()?;
        Ok(token.map(|token| RedeemedTicket { token, scope, order_id }))
    }

    /// Deletes expired tickets; returns how many.
    pub async fn delete_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
        diesel::delete(stream_tickets::table.filter(stream_tickets::expires_at.lt(diesel::dsl::now)))
            .execute(conn)
            .await
    }
}
