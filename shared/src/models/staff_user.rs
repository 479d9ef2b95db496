//! `staff_users` and `staff_password_links`: the people who sign in to the
//! console. Passwords are argon2id hashes (made in the api); a set-password
//! link's code is stored as its SHA-256 only.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api_token::{hash_secret, new_secret};
use crate::domain::Role;
use crate::schema::{staff_password_links, staff_users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_users)]
pub struct StaffUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    /// `csr` or `admin`.
    pub role: Role,
    pub password_hash: Option<String>,
    pub totp_sealed: Option<Vec<u8>>,
    pub totp_nonce: Option<Vec<u8>>,
    pub totp_enabled_at: Option<DateTime<Utc>>,
    pub totp_last_step: Option<i64>,
    pub failed_sign_ins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = staff_users)]
struct NewStaffUser<'a> {
    id: Uuid,
    email: &'a str,
    name: &'a str,
    role: Role,
    created_by: &'a str,
}

/// Why a sign-in attempt counts against the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lockout {
    /// Still under the limit: this many failures so far.
    Counting(i32),
    /// Locked until then.
    Locked(DateTime<Utc>),
}

impl StaffUser {
    pub fn totp_enabled(&self) -> bool {
        self.totp_enabled_at.is_some()
    }

    /// Whether the account is locked at `now`.
    pub fn locked_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.locked_until.filter(|until| *until > now)
    }

    /// How the person appears in audit rows and history: role, id and who.
    pub fn actor(&self) -> String {
        format!("{}:{} ({} <{}>)", self.role, self.id, self.name, self.email)
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        email: &str,
        name: &str,
        role: Role,
        created_by: &str,
    ) -> QueryResult<StaffUser> {
        diesel::insert_into(staff_users::table)
            .values(NewStaffUser { id: Uuid::now_v7(), email, name, role, created_by })
            .returning(StaffUser::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<StaffUser> {
        staff_users::table.find(id).select(StaffUser::as_select()).first(conn).await
    }

    /// By email, whatever its case.
    pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<StaffUser>> {
        staff_users::table
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = ")
                    .bind::<diesel::sql_types::Text, _>(email.trim().to_lowercase()),
            )
            .select(StaffUser::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<StaffUser>> {
        staff_users::table.order(staff_users::email.asc()).select(StaffUser::as_select()).load(conn).await
    }

    pub async fn set_password_hash(conn: &mut AsyncPgConnection, id: Uuid, hash: &str) -> QueryResult<()> {
        diesel::update(staff_users::table.find(id))
            .set((
                staff_users::password_hash.eq(hash),
                staff_users::failed_sign_ins.eq(0),
                staff_users::locked_until.eq(None::<DateTime<Utc>>),
                staff_users::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Counts a failed sign-in; the `limit`th in a row locks the account
    /// for `lock_for` (and the count starts again).
    pub async fn record_failure(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        limit: i32,
        lock_for: Duration,
    ) -> QueryResult<Lockout> {
        let failures: i32 = diesel::update(staff_users::table.find(id))
            .set(staff_users::failed_sign_ins.eq(staff_users::failed_sign_ins + 1))
            .returning(staff_users::failed_sign_ins)
            .get_result(conn)
            .await?;
        if failures < limit {
            return Ok(Lockout::Counting(failures));
        }
        let until = Utc::now() + lock_for;
        diesel::update(staff_users::table.find(id))
            .set((staff_users::failed_sign_ins.eq(0), staff_users::locked_until.eq(until)))
            .execute(conn)
            .await?;
        Ok(Lockout::Locked(until))
    }

    /// A successful sign-in: the failure count starts again.
    pub async fn record_sign_in(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
        diesel::update(staff_users::table.find(id))
            .set((
                staff_users::failed_sign_ins.eq(0),
                staff_users::locked_until.eq(None::<DateTime<Utc>>),
                staff_users::last_sign_in_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Keeps a new TOTP secret (sealed) until it is confirmed; a second
    /// factor already on stays on until then.
    pub async fn stage_totp(conn: &mut AsyncPgConnection, id: Uuid, sealed: &[u8], nonce: &[u8]) -> QueryResult<()> {
        diesel::update(staff_users::table.find(id))
            .set((
                staff_users::totp_sealed.eq(sealed),
                staff_users::totp_nonce.eq(nonce),
                staff_users::totp_enabled_at.eq(None::<DateTime<Utc>>),
                staff_users::totp_last_step.eq(None::<i64>),
                staff_users::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Turns the staged secret on, and records the step its first code used.
    pub async fn enable_totp(conn: &mut AsyncPgConnection, id: Uuid, step: i64) -> QueryResult<()> {
        diesel::update(staff_users::table.find(id))
            .set((
                staff_users::totp_enabled_at.eq(diesel::dsl::now),
                staff_users::totp_last_step.eq(step),
                staff_users::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Records the step of an accepted code, if it is newer than the last
    /// one (two sign-ins racing with one code: only one wins).
    pub async fn use_totp_step(conn: &mut AsyncPgConnection, id: Uuid, step: i64) -> QueryResult<bool> {
        diesel::update(
            staff_users::table
                .find(id)
                .filter(staff_users::totp_last_step.is_null().or(staff_users::totp_last_step.lt(step))),
        )
        .set(staff_users::totp_last_step.eq(step))
        .execute(conn)
        .await
        .map(|n| n == 1)
    }

    pub async fn disable(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<StaffUser> {
        diesel::update(staff_users::table.find(id))
            .set((staff_users::disabled_at.eq(diesel::dsl::now), staff_users::updated_at.eq(diesel::dsl::now)))
            .returning(StaffUser::as_returning())
            .get_result(conn)
            .await
    }
}

/// Set-password link codes start with this.
pub const PASSWORD_LINK_PREFIX: &str = "osp_";

pub struct StaffPasswordLink;

impl StaffPasswordLink {
    /// A single-use code that lets `user_id` set a password until `expires_at`.
    pub async fn issue(conn: &mut AsyncPgConnection, user_id: Uuid, expires_at: DateTime<Utc>) -> QueryResult<String> {
        let code = new_secret(PASSWORD_LINK_PREFIX);
        diesel::insert_into(staff_password_links::table)
            .values((
                staff_password_links::link_hash.eq(hash_secret(&code)),
                staff_password_links::user_id.eq(user_id),
                staff_password_links::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await?;
        Ok(code)
    }

    /// Consumes a code: the user it was for, if it is known and unexpired.
    pub async fn redeem(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<Uuid>> {
        if !code.starts_with(PASSWORD_LINK_PREFIX) {
            return Ok(None);
        }
        let taken: Option<(Uuid, DateTime<Utc>)> =
            diesel::delete(staff_password_links::table.filter(staff_password_links::link_hash.eq(hash_secret(code))))
                .returning((staff_password_links::user_id, staff_password_links::expires_at))
                .get_result(conn)
                .await
                .optional()?;
        Ok(taken.filter(|(_, expires_at)| *expires_at > Utc::now()).map(|(user_id, _)| user_id))
    }
}
