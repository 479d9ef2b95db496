//! The notification outbox. A row is written with the change that causes it
//! and moves pending -> sending -> sent | pending (retry) | failed (dead letter).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::{Channel, Locale, NotificationEvent, NotificationStatus};
use crate::jobs::Queue;
use crate::schema::notifications;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: Uuid,
    pub order_id: Uuid,
    pub event: NotificationEvent,
    pub channel: Channel,
    pub recipient: String,
    pub locale: Locale,
    pub queue: Queue,
    pub status: NotificationStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub provider_message_id: Option<String>,
    pub dedupe_key: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification {
    pub id: Uuid,
    pub order_id: Uuid,
    pub event: NotificationEvent,
    pub channel: Channel,
    pub recipient: String,
    pub locale: Locale,
    pub queue: Queue,
    pub dedupe_key: String,
}

impl NewNotification {
    pub fn new(
        order_id: Uuid,
        event: NotificationEvent,
        channel: Channel,
        recipient: String,
        locale: Locale,
    ) -> Self {
        NewNotification {
            id: Uuid::now_v7(),
            order_id,
            event,
            channel,
            dedupe_key: format!("{order_id}:{event}:{channel}:{recipient}"),
            recipient,
            locale,
            queue: Queue::for_event(event),
        }
    }

    /// Inserts unless the same (order, event, channel, recipient) exists;
    /// returns the row only when it is new.
    pub async fn insert_once(
        &self,
        conn: &mut AsyncPgConnection,
    ) -> QueryResult<Option<Notification>> {
        diesel::insert_into(notifications::table)
            .values(self)
            .on_conflict(notifications::dedupe_key)
            .do_nothing()
            .returning(Notification::as_returning())
            .get_result(conn)
            .await
            .optional()
    }
}

/// A notification id and the queue its job belongs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct DueNotification {
    pub id: Uuid,
    pub queue: Queue,
}

impl Notification {
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Notification> {
        notifications::table
            .find(id)
            .select(Notification::as_select())
            .first(conn)
            .await
    }

    pub async fn for_order(
        conn: &mut AsyncPgConnection,
        order_id: Uuid,
    ) -> QueryResult<Vec<Notification>> {
        notifications::table
            .filter(notifications::order_id.eq(order_id))
            .order((notifications::created_at.asc(), notifications::id.asc()))
            .select(Notification::as_select())
            .load(conn)
            .await
    }

    /// Takes a pending row for one delivery attempt. `None` when another
    /// worker has it or it is already sent or dead: the job is then obsolete.
    pub async fn claim(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        lease: std::time::Duration,
    ) -> QueryResult<Option<Notification>> {
        let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
        diesel::update(
            notifications::table
                .find(id)
                .filter(notifications::status.eq(NotificationStatus::Pending)),
        )
        .set((
            notifications::status.eq(NotificationStatus::Sending),
            notifications::attempts.eq(notifications::attempts + 1),
            notifications::locked_until.eq(Utc::now() + lease),
            notifications::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Notification::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    pub async fn mark_sent(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        provider_message_id: Option<&str>,
    ) -> QueryResult<usize> {
        diesel::update(
            notifications::table
                .find(id)
                .filter(notifications::status.eq(NotificationStatus::Sending)),
        )
        .set((
            notifications::status.eq(NotificationStatus::Sent),
            notifications::provider_message_id.eq(provider_message_id),
            notifications::sent_at.eq(diesel::dsl::now),
            notifications::locked_until.eq(None::<DateTime<Utc>>),
            notifications::last_error.eq(None::<String>),
            notifications::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
    }

    /// Puts the row back in line for another attempt at `next_attempt_at`.
    pub async fn mark_retry(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(
            notifications::table
                .find(id)
                .filter(notifications::status.eq(NotificationStatus::Sending)),
        )
        .set((
            notifications::status.eq(NotificationStatus::Pending),
            notifications::next_attempt_at.eq(next_attempt_at),
            notifications::locked_until.eq(None::<DateTime<Utc>>),
            notifications::last_error.eq(error),
            notifications::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
    }

    /// Gives up: the row stays visible with its last error (dead letter).
    pub async fn mark_failed(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        error: &str,
    ) -> QueryResult<usize> {
        diesel::update(
            notifications::table
                .find(id)
                .filter(notifications::status.eq(NotificationStatus::Sending)),
        )
        .set((
            notifications::status.eq(NotificationStatus::Failed),
            notifications::locked_until.eq(None::<DateTime<Utc>>),
            notifications::last_error.eq(error),
            notifications::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
    }

    /// The outbox sweep: rows still pending `grace` after they were due (their
    /// job was lost, e.g. Redis was down at commit), and claims whose lease ran
    /// out (the worker died mid-send). Each is made due now, so it is not swept
    /// again for another grace period, and returned for re-enqueueing.
    pub async fn sweep_overdue(
        conn: &mut AsyncPgConnection,
        grace: std::time::Duration,
        limit: i64,
    ) -> QueryResult<Vec<DueNotification>> {
        let grace = chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::seconds(60));
        let cutoff = Utc::now() - grace;
        let overdue: Vec<Uuid> = notifications::table
            .filter(
                notifications::status
                    .eq(NotificationStatus::Pending)
                    .and(notifications::next_attempt_at.le(cutoff))
                    .or(notifications::status
                        .eq(NotificationStatus::Sending)
                        .and(notifications::locked_until.le(Utc::now()))),
            )
            .order(notifications::next_attempt_at.asc())
            .limit(limit)
            .select(notifications::id)
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        if overdue.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(notifications::table.filter(notifications::id.eq_any(&overdue)))
            .set((
                notifications::status.eq(NotificationStatus::Pending),
                notifications::next_attempt_at.eq(diesel::dsl::now),
                notifications::locked_until.eq(None::<DateTime<Utc>>),
                notifications::updated_at.eq(diesel::dsl::now),
            ))
            .returning((notifications::id, notifications::queue))
            .get_results(conn)
            .await
    }
}
