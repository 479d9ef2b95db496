//! `order_events`: the durable log behind live updates. Writers append rows
//! to `order_event_inbox` in the transaction of the change;
//! [`OrderEvent::sequence`] moves committed rows into the log with their ids,
//! one locked batch at a time, so ids appear strictly in increasing order and
//! "after id N" never skips a late commit.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::{Locale, OrderStatus};
use crate::prepared_sql::PreparedSql;
use crate::schema::{order_event_inbox, order_events, orders};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = order_events)]
pub struct OrderEvent {
    pub id: i64,
    pub order_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub kind: String,
    pub staff_only: bool,
    pub entry: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
// `None` is written as NULL, not DEFAULT (the same for these columns):
// a constant statement, which diesel prepares once per connection.
#[diesel(table_name = order_event_inbox, treat_none_as_default_value = false)]
pub struct NewOrderEvent {
    pub order_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub kind: String,
    pub staff_only: bool,
    pub entry: serde_json::Value,
}

/// What a reader of an event needs of its order, as it is now.
#[derive(Debug, Clone, Queryable)]
pub struct EventOrder {
    pub status: OrderStatus,
    /// Subscribers who asked for no language read the order's.
    pub locale: Locale,
    /// Dates in titles are in this country's zone.
    pub ship_country: String,
}

/// Which events a reader wants.
#[derive(Debug, Clone, Copy)]
pub enum EventScope {
    Order(Uuid),
    Customer(Uuid),
    All,
}

// The log has no foreign key (see its migration); joining it to its orders
// is still meaningful.
diesel::joinable!(order_events -> orders (order_id));

/// An advisory-lock key of its own: one sequencer at a time.
const SEQUENCER_LOCK: i64 = 0x6f72_6465_7273_6571; // "ordersseq"

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl NewOrderEvent {
    /// Appends events inside the caller's transaction.
    /// One row per statement, pipelined: a one-row insert is a constant
    /// statement that each connection prepares once (diesel prepares a
    /// multi-row one anew each time), and they still take one round trip.
    pub async fn append(conn: &AsyncPgConnection, events: &[NewOrderEvent]) -> QueryResult<()> {
        let insert = |event| async move {
            let mut conn = conn;
            diesel::insert_into(order_event_inbox::table).values(event).execute(&mut conn).await
        };
        futures::future::try_join_all(events.iter().map(insert)).await.map(|_| ())
    }
}

impl OrderEvent {
    /// Moves up to `batch` committed events from the inbox into the log, in
    /// insertion order, numbering them; returns how many. Runs in its own
    /// transaction under a transaction-level advisory lock, so two sequencers
    /// never interleave; when another holds it, returns 0 at once (that one
    /// will move them).
    pub async fn sequence(conn: &mut AsyncPgConnection, batch: i64) -> QueryResult<i64> {
        // Runs after nearly every commit: prepared once per connection. A row
        // another sequencer moved since this statement's snapshot is skipped
        // by the DELETE, so it is never logged twice. The batch is picked
        // once, as an array: joined instead, a planner that took the inbox
        // for empty (stale statistics) read it again for every row of it,
        // 37 s for a backlog of 20,000.
        let query = PreparedSql::new(
            "WITH lock AS (SELECT pg_try_advisory_xact_lock($1) AS held), \
             moved AS (DELETE FROM order_event_inbox WHERE seq_key = ANY (ARRAY( \
                           SELECT seq_key FROM order_event_inbox, lock WHERE lock.held ORDER BY seq_key LIMIT $2)) \
                       RETURNING *), \
             logged AS (INSERT INTO order_events (id, order_id, customer_id, kind, staff_only, entry, created_at) \
                        SELECT nextval('order_event_ids'), order_id, customer_id, kind, staff_only, entry, created_at \
                        FROM (SELECT * FROM moved ORDER BY seq_key) ordered RETURNING 1) \
             SELECT count(*) AS n FROM logged",
        )
        .bind::<BigInt, _>(SEQUENCER_LOCK)
        .bind::<BigInt, _>(batch);
        // One statement is its own transaction: the lock ends with it.
        Ok(query.get_result::<Count>(conn).await?.n)
    }

    /// Removes the inbox's dead rows, unless another replica is at it.
    /// Without `TRUNCATE false` a vacuum waits up to 5 s for an exclusive
    /// lock to give back the emptied end of the table, which writers' inserts
    /// keep from it (measured: 2.5 s a vacuum under load).
    pub async fn vacuum_inbox(conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::sql_query("VACUUM (SKIP_LOCKED, TRUNCATE false) order_event_inbox").execute(conn).await.map(|_| ())
    }

    /// Numbered events after `after`, oldest first, at most `limit`, each
    /// with its order's current status, locale and country.
    pub async fn after(
        conn: &mut AsyncPgConnection,
        scope: EventScope,
        after: i64,
        limit: i64,
    ) -> QueryResult<Vec<(OrderEvent, EventOrder)>> {
        let mut query = order_events::table
            .inner_join(orders::table)
            .filter(order_events::id.gt(after))
            .order(order_events::id.asc())
            .limit(limit)
            .select((OrderEvent::as_select(), (orders::status, orders::locale, orders::ship_country)))
            .into_boxed();
        query = match scope {
            EventScope::Order(order_id) => query.filter(order_events::order_id.eq(order_id)),
            EventScope::Customer(customer_id) => query.filter(order_events::customer_id.eq(customer_id)),
            EventScope::All => query,
        };
        query.load(conn).await
    }

    /// The newest event id (0 when there is none yet).
    pub async fn latest_id(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        let latest: Option<i64> = order_events::table.select(diesel::dsl::max(order_events::id)).first(conn).await?;
        Ok(latest.unwrap_or(0))
    }

    /// Whether events after `after` were already pruned: the oldest kept id
    /// is further on than `after + 1`, or nothing is kept but ids were used.
    pub async fn pruned_after(conn: &mut AsyncPgConnection, after: i64) -> QueryResult<bool> {
        let oldest: Option<i64> = order_events::table.select(diesel::dsl::min(order_events::id)).first(conn).await?;
        match oldest {
            Some(oldest) => Ok(oldest > after + 1),
            None => {
                let used: Vec<Count> = diesel::sql_query(
                    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM order_event_ids",
                )
                .load(conn)
                .await?;
                Ok(used.into_iter().next().is_some_and(|c| c.n > after))
            }
        }
    }

    /// Deletes the oldest numbered events, up to the first (of the next
    /// `batch` ids) created at or after `before`; returns how many.
    ///
    /// A prefix of the ids, never a range of `created_at`: that is the
    /// writer's transaction time, not the order the sequencer numbered them
    /// in, so an event can be older than one numbered before it. Pruned by
    /// time, the younger one would stay and leave a hole behind it that
    /// `pruned_after` (the oldest id kept) cannot see: a resuming client
    /// would silently miss the events in it. Waiting for it costs at most
    /// the length of its transaction. (The ids go as an array: `IN` was
    /// planned as a hash join that read the whole log.)
    pub async fn prune(conn: &mut AsyncPgConnection, before: DateTime<Utc>, batch: i64) -> QueryResult<usize> {
        Self::prune_query(before, batch).execute(conn).await
    }

    /// `prune`'s statement.
    pub fn prune_query(before: DateTime<Utc>, batch: i64) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        diesel::sql_query(
            "WITH oldest AS (SELECT id, created_at FROM order_events ORDER BY id LIMIT $2) \
             DELETE FROM order_events WHERE id = ANY (ARRAY(\
               SELECT id FROM oldest \
               WHERE id < coalesce((SELECT min(id) FROM oldest WHERE created_at >= $1), 9223372036854775807)))",
        )
        .into_boxed()
        .bind::<diesel::sql_types::Timestamptz, _>(before)
        .bind::<BigInt, _>(batch)
    }
}
