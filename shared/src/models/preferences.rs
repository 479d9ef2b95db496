use chrono::{DateTime, NaiveTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::Locale;
use crate::notify::preferences::{default_channels, ChannelMap, QuietHours};
use crate::schema::notification_preferences;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_preferences)]
pub struct PreferencesRow {
    pub customer_id: Uuid,
    pub locale: Locale,
    pub time_zone: String,
    pub quiet_hours_start: Option<NaiveTime>,
    pub quiet_hours_end: Option<NaiveTime>,
    pub channels: serde_json::Value,
    pub updated_at: DateTime<Utc>,
}

/// A customer's preferences, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    pub customer_id: Uuid,
    pub locale: Locale,
    pub time_zone: String,
    pub quiet_hours: Option<QuietHours>,
    pub channels: ChannelMap,
    pub updated_at: DateTime<Utc>,
}

impl From<PreferencesRow> for Preferences {
    fn from(row: PreferencesRow) -> Self {
        Preferences {
            customer_id: row.customer_id,
            locale: row.locale,
            time_zone: row.time_zone,
            quiet_hours: row.quiet_hours_start.zip(row.quiet_hours_end).map(|(start, end)| QuietHours { start, end }),
            // Stored by us from a typed map; an unreadable value means "defaults".
            channels: serde_json::from_value(row.channels).unwrap_or_else(|_| default_channels(false)),
            updated_at: row.updated_at,
        }
    }
}

impl Preferences {
    pub fn defaults(customer_id: Uuid, locale: Locale, phone_verified: bool) -> Self {
        Preferences {
            customer_id,
            locale,
            time_zone: "UTC".into(),
            quiet_hours: None,
            channels: default_channels(phone_verified),
            updated_at: Utc::now(),
        }
    }

    fn row(&self) -> PreferencesRow {
        PreferencesRow {
            customer_id: self.customer_id,
            locale: self.locale,
            time_zone: self.time_zone.clone(),
            quiet_hours_start: self.quiet_hours.map(|q| q.start),
            quiet_hours_end: self.quiet_hours.map(|q| q.end),
            channels: serde_json::to_value(&self.channels).unwrap_or_default(),
            updated_at: Utc::now(),
        }
    }

    /// The customer's preferences, or the defaults if they never saved any.
    pub async fn load(conn: &mut AsyncPgConnection, customer_id: Uuid) -> QueryResult<Option<Preferences>> {
        notification_preferences::table
            .find(customer_id)
            .select(PreferencesRow::as_select())
            .first(conn)
            .await
            .optional()
            .map(|row| row.map(Preferences::from))
    }

    /// [`load`](Self::load) through this process' cache (see `cache`; every
    /// save is announced to it), for planning notifications.
    pub async fn load_cached(conn: &mut AsyncPgConnection, customer_id: Uuid) -> QueryResult<Option<Preferences>> {
        let Some(caches) = crate::cache::current() else { return Self::load(conn, customer_id).await };
        if let Some(prefs) = caches.preferences.get(&customer_id) {
            return Ok(Some(prefs));
        }
        let generation = caches.preferences.generation();
        let prefs = Self::load(conn, customer_id).await?;
        // Only saved preferences: the defaults depend on the customer's phone.
        if let Some(prefs) = &prefs {
            caches.preferences.put(customer_id, prefs.clone(), generation);
        }
        Ok(prefs)
    }

    /// Writes the defaults for a new customer; keeps existing ones.
    pub async fn insert_defaults(conn: &mut AsyncPgConnection, customer_id: Uuid, locale: Locale) -> QueryResult<()> {
        diesel::insert_into(notification_preferences::table)
            .values(Preferences::defaults(customer_id, locale, false).row())
            .on_conflict(notification_preferences::customer_id)
            .do_nothing()
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn save(&self, conn: &mut AsyncPgConnection) -> QueryResult<Preferences> {
        diesel::insert_into(notification_preferences::table)
            .values(self.row())
            .on_conflict(notification_preferences::customer_id)
            .do_update()
            .set((
                notification_preferences::locale.eq(excluded(notification_preferences::locale)),
                notification_preferences::time_zone.eq(excluded(notification_preferences::time_zone)),
                notification_preferences::quiet_hours_start.eq(excluded(notification_preferences::quiet_hours_start)),
                notification_preferences::quiet_hours_end.eq(excluded(notification_preferences::quiet_hours_end)),
                notification_preferences::channels.eq(excluded(notification_preferences::channels)),
                notification_preferences::updated_at.eq(diesel::dsl::now),
            ))
            .returning(PreferencesRow::as_returning())
            .get_result(conn)
            .await
            .map(Preferences::from)
    }
}
