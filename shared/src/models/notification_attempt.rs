use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::AttemptOutcome;
use crate::schema::notification_attempts;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notification_attempts)]
pub struct NotificationAttempt {
    pub id: i64,
    pub notification_id: Uuid,
    pub attempt: i32,
    pub outcome: AttemptOutcome,
    pub provider: String,
    pub provider_message_id: Option<String>,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i32,
}

#[derive(Debug, Clone, Insertable)]
// `None` is written as NULL, not DEFAULT (the same for these columns):
// a constant statement, which diesel prepares once per connection.
#[diesel(table_name = notification_attempts, treat_none_as_default_value = false)]
pub struct NewNotificationAttempt {
    pub notification_id: Uuid,
    pub attempt: i32,
    pub outcome: AttemptOutcome,
    pub provider: String,
    pub provider_message_id: Option<String>,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i32,
}

impl NewNotificationAttempt {
    /// Takes a shared connection so it can be pipelined with other writes.
    pub async fn insert(&self, mut conn: &AsyncPgConnection) -> QueryResult<usize> {
        diesel::insert_into(notification_attempts::table).values(self).execute(&mut conn).await
    }
}

impl NotificationAttempt {
    pub async fn for_notification(
        conn: &mut AsyncPgConnection,
        notification_id: Uuid,
    ) -> QueryResult<Vec<NotificationAttempt>> {
        notification_attempts::table
            .filter(notification_attempts::notification_id.eq(notification_id))
            .order(notification_attempts::attempt.asc())
            .select(NotificationAttempt::as_select())
            .load(conn)
            .await
    }

    pub async fn for_notifications(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> QueryResult<Vec<NotificationAttempt>> {
        notification_attempts::table
            .filter(notification_attempts::notification_id.eq_any(ids))
            .order((notification_attempts::notification_id, notification_attempts::attempt.asc()))
            .select(NotificationAttempt::as_select())
            .load(conn)
            .await
    }
}
