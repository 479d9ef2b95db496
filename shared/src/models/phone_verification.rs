use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::phone_verifications;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = phone_verifications)]
pub struct PhoneVerification {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub phone: String,
    pub code_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
    pub failed_attempts: i32,
    pub created_at: DateTime<Utc>,
    pub verified_at: Option<DateTime<Utc>>,
}

impl PhoneVerification {
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::insert_into(phone_verifications::table).values(self).execute(conn).await.map(|_| ())
    }

    /// The customer's most recent request, locked for the check.
    pub async fn latest_for_update(
        conn: &mut AsyncPgConnection,
        customer_id: Uuid,
    ) -> QueryResult<Option<PhoneVerification>> {
        phone_verifications::table
            .filter(phone_verifications::customer_id.eq(customer_id))
            .order(phone_verifications::created_at.desc())
            .select(PhoneVerification::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    pub async fn record_failure(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<i32> {
        diesel::update(phone_verifications::table.find(id))
            .set(phone_verifications::failed_attempts.eq(phone_verifications::failed_attempts + 1))
            .returning(phone_verifications::failed_attempts)
            .get_result(conn)
            .await
    }

    pub async fn mark_verified(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
        diesel::update(phone_verifications::table.find(id))
            .set(phone_verifications::verified_at.eq(diesel::dsl::now))
            .execute(conn)
            .await
    }
}
