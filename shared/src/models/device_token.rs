use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::Platform;
use crate::schema::device_tokens;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = device_tokens)]
pub struct DeviceToken {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub token: String,
    pub platform: Platform,
    pub created_at: DateTime<Utc>,
    pub invalidated_at: Option<DateTime<Utc>>,
}

impl DeviceToken {
    /// Registers a device for a customer. A token seen before (the app was
    /// reinstalled, or another account signed in on the device) moves to this
    /// customer and becomes valid again.
    pub async fn register(
        conn: &mut AsyncPgConnection,
        customer_id: Uuid,
        token: &str,
        platform: Platform,
    ) -> QueryResult<DeviceToken> {
        diesel::insert_into(device_tokens::table)
            .values(DeviceToken {
                id: Uuid::now_v7(),
                customer_id,
                token: token.to_owned(),
                platform,
                created_at: Utc::now(),
                invalidated_at: None,
            })
            .on_conflict(device_tokens::token)
            .do_update()
            .set((
                device_tokens::customer_id.eq(excluded(device_tokens::customer_id)),
                device_tokens::platform.eq(excluded(device_tokens::platform)),
                device_tokens::invalidated_at.eq(None::<DateTime<Utc>>),
            ))
            .returning(DeviceToken::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<DeviceToken> {
        device_tokens::table.find(id).select(DeviceToken::as_select()).first(conn).await
    }

    /// The customer's devices that can still receive pushes.
    pub async fn active_for(conn: &mut AsyncPgConnection, customer_id: Uuid) -> QueryResult<Vec<DeviceToken>> {
        device_tokens::table
            .filter(device_tokens::customer_id.eq(customer_id))
            .filter(device_tokens::invalidated_at.is_null())
            .order(device_tokens::created_at.asc())
            .select(DeviceToken::as_select())
            .load(conn)
            .await
    }

    /// Removes a customer's device; false if it is not theirs.
    pub async fn remove(conn: &mut AsyncPgConnection, customer_id: Uuid, id: Uuid) -> QueryResult<bool> {
        diesel::update(
            device_tokens::table
                .find(id)
                .filter(device_tokens::customer_id.eq(customer_id))
                .filter(device_tokens::invalidated_at.is_null()),
        )
        .set(device_tokens::invalidated_at.eq(diesel::dsl::now))
        .execute(conn)
        .await
        .map(|n| n > 0)
    }

    /// The push provider said this token is dead.
    pub async fn invalidate(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
        diesel::update(device_tokens::table.find(id).filter(device_tokens::invalidated_at.is_null()))
            .set(device_tokens::invalidated_at.eq(diesel::dsl::now))
            .execute(conn)
            .await
    }
}
