//! The shopper's rating of an order's delivery: one per order, changeable
//! for [`RATING_CHANGE_WINDOW`] after it was first given.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
// `ON CONFLICT … DO UPDATE … WHERE`: the filter of an upsert.
use diesel::query_dsl::methods::FilterDsl;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::schema::order_ratings;

/// How long a rating can still be changed after it was first given.
pub const RATING_CHANGE_WINDOW: chrono::Duration = chrono::Duration::days(7);

/// How long after the `delivered` message its link takes a first rating.
pub const RATING_OPEN_WINDOW: chrono::Duration = chrono::Duration::days(30);

/// The longest comment kept, in characters.
pub const COMMENT_MAX: usize = 2000;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = order_ratings)]
pub struct OrderRating {
    pub order_id: Uuid,
    pub score: i16,
    pub comment: Option<String>,
    pub notification_id: Uuid,
    pub rated_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrderRating {
    pub async fn find(conn: &mut AsyncPgConnection, order_id: Uuid) -> QueryResult<Option<OrderRating>> {
        order_ratings::table.find(order_id).select(OrderRating::as_select()).first(conn).await.optional()
    }

    /// Whether it can still be changed at `now`.
    pub fn changeable(&self, now: DateTime<Utc>) -> bool {
        now < self.rated_at + RATING_CHANGE_WINDOW
    }

    /// Gives or changes the order's rating; `None` when it was first given
    /// more than [`RATING_CHANGE_WINDOW`] ago (nothing is written).
    pub async fn save(
        conn: &mut AsyncPgConnection,
        order_id: Uuid,
        notification_id: Uuid,
        score: i16,
        comment: Option<&str>,
    ) -> QueryResult<Option<OrderRating>> {
        let open_since = Utc::now() - RATING_CHANGE_WINDOW;
        diesel::insert_into(order_ratings::table)
            .values((
                order_ratings::order_id.eq(order_id),
                order_ratings::notification_id.eq(notification_id),
                order_ratings::score.eq(score),
                order_ratings::comment.eq(comment),
            ))
            .on_conflict(order_ratings::order_id)
            .do_update()
            .set((
                order_ratings::score.eq(score),
                order_ratings::comment.eq(comment),
                order_ratings::notification_id.eq(notification_id),
                order_ratings::updated_at.eq(diesel::dsl::now),
            ))
            .filter(order_ratings::rated_at.gt(open_since))
            .returning(OrderRating::as_returning())
            .get_result(conn)
            .await
            .optional()
    }
}
