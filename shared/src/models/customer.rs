use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::Locale;
use crate::schema::customers;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customers)]
pub struct Customer {
    pub id: Uuid,
    pub external_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub phone_verified_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customers)]
pub struct NewCustomer {
    pub id: Uuid,
    pub external_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub locale: Locale,
}

impl NewCustomer {
    /// Creates the customer, or refreshes the contact details of the one the
    /// storefront already knows by `external_id`.
    pub async fn upsert(&self, conn: &mut AsyncPgConnection) -> QueryResult<Customer> {
        diesel::insert_into(customers::table)
            .values(self)
            .on_conflict(customers::external_id)
            .do_update()
            .set((
                customers::email.eq(excluded(customers::email)),
                // A verified phone is kept: only verification changes it.
                customers::phone.eq(diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
                    "CASE WHEN customers.phone_verified_at IS NULL THEN excluded.phone ELSE customers.phone END",
                )),
                customers::name.eq(excluded(customers::name)),
                customers::locale.eq(excluded(customers::locale)),
                customers::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Customer::as_returning())
            .get_result(conn)
            .await
    }
}

impl Customer {
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Customer> {
        customers::table.find(id).select(Customer::as_select()).first(conn).await
    }

    /// The phone number that passed verification, if any.
    pub fn verified_phone(&self) -> Option<&str> {
        self.phone_verified_at.and(self.phone.as_deref())
    }

    pub async fn set_verified_phone(conn: &mut AsyncPgConnection, id: Uuid, phone: &str) -> QueryResult<Customer> {
        diesel::update(customers::table.find(id))
            .set((
                customers::phone.eq(phone),
                customers::phone_verified_at.eq(diesel::dsl::now),
                customers::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Customer::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find_by_external_id(conn: &mut AsyncPgConnection, external_id: &str) -> QueryResult<Customer> {
        customers::table.filter(customers::external_id.eq(external_id)).select(Customer::as_select()).first(conn).await
    }
}
