//! Stored template versions. A key is (event, channel, locale); at most one
//! version per key is active, and workers render it instead of the file.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::{Channel, Locale, NotificationEvent};
use crate::schema::notification_templates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TemplateKey {
    pub event: NotificationEvent,
    pub channel: Channel,
    pub locale: Locale,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_templates)]
pub struct TemplateVersion {
    pub id: Uuid,
    pub event: NotificationEvent,
    pub channel: Channel,
    pub locale: Locale,
    pub version: i32,
    pub subject: Option<String>,
    pub body: String,
    pub html: Option<String>,
    pub comment: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub active: bool,
}

impl TemplateVersion {
    pub async fn all(conn: &mut AsyncPgConnection, key: TemplateKey) -> QueryResult<Vec<TemplateVersion>> {
        notification_templates::table
            .filter(notification_templates::event.eq(key.event))
            .filter(notification_templates::channel.eq(key.channel))
            .filter(notification_templates::locale.eq(key.locale))
            .order(notification_templates::version.asc())
            .select(TemplateVersion::as_select())
            .load(conn)
            .await
    }

    /// The version workers render, if an admin ever activated one.
    pub async fn active(conn: &mut AsyncPgConnection, key: TemplateKey) -> QueryResult<Option<TemplateVersion>> {
        notification_templates::table
            .filter(notification_templates::event.eq(key.event))
            .filter(notification_templates::channel.eq(key.channel))
            .filter(notification_templates::locale.eq(key.locale))
            .filter(notification_templates::active.eq(true))
            .select(TemplateVersion::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::insert_into(notification_templates::table).values(self).execute(conn).await.map(|_| ())
    }

    /// Inserts unless the key already has this version number (a concurrent
    /// seed of the same file won); true if this one was inserted.
    pub async fn insert_if_absent(&self, conn: &mut AsyncPgConnection) -> QueryResult<bool> {
        let inserted = diesel::insert_into(notification_templates::table)
            .values(self)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    }

    /// Makes `version` the active one of its key; false if it does not exist.
    pub async fn activate(conn: &mut AsyncPgConnection, key: TemplateKey, version: i32) -> QueryResult<bool> {
        let of_key = notification_templates::table
            .filter(notification_templates::event.eq(key.event))
            .filter(notification_templates::channel.eq(key.channel))
            .filter(notification_templates::locale.eq(key.locale));
        let exists: i64 = of_key.filter(notification_templates::version.eq(version)).count().get_result(conn).await?;
        if exists == 0 {
            return Ok(false);
        }
        diesel::update(of_key.filter(notification_templates::active.eq(true)))
            .set(notification_templates::active.eq(false))
            .execute(conn)
            .await?;
        diesel::update(of_key.filter(notification_templates::version.eq(version)))
            .set(notification_templates::active.eq(true))
            .execute(conn)
            .await?;
        Ok(true)
    }
}
