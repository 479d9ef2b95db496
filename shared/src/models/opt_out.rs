use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::Channel;
use crate::schema::channel_opt_outs;

/// Hard opt-outs (one-click unsubscribe): never bypassed, for customers and guests.
pub struct OptOut;

impl OptOut {
    pub async fn record(conn: &mut AsyncPgConnection, channel: Channel, recipient: &str) -> QueryResult<()> {
        diesel::insert_into(channel_opt_outs::table)
            .values((channel_opt_outs::channel.eq(channel), channel_opt_outs::recipient.eq(recipient)))
            .on_conflict_do_nothing()
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn clear(conn: &mut AsyncPgConnection, channel: Channel, recipient: &str) -> QueryResult<()> {
        diesel::delete(
            channel_opt_outs::table
                .filter(channel_opt_outs::channel.eq(channel))
                .filter(channel_opt_outs::recipient.eq(recipient)),
        )
        .execute(conn)
        .await
        .map(|_| ())
    }

    /// Which of `wanted` (channel, recipient) pairs opted out: one query
    /// on the primary key, whatever the channels.
    pub async fn among(
        conn: &mut AsyncPgConnection,
        wanted: &[(Channel, &str)],
    ) -> QueryResult<Vec<(Channel, String)>> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let channels: Vec<Channel> = wanted.iter().map(|(channel, _)| *channel).collect();
        let recipients: Vec<&str> = wanted.iter().map(|(_, recipient)| *recipient).collect();
        let found: Vec<(Channel, String)> = channel_opt_outs::table
            .filter(channel_opt_outs::channel.eq_any(channels))
            .filter(channel_opt_outs::recipient.eq_any(recipients))
            .select((channel_opt_outs::channel, channel_opt_outs::recipient))
            .load(conn)
            .await?;
        // (The filter matched every channel with every recipient.)
        Ok(found.into_iter().filter(|(c, r)| wanted.contains(&(*c, r.as_str()))).collect())
    }
}
