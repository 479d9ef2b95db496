//! What a reconnecting client missed: the events after its last id, up to
//! where its live feed starts, read from Postgres. Too old (pruned) or too
//! many, and the client is told to refetch instead.

use ordertrack_shared::db::DbPool;
use ordertrack_shared::models::OrderEvent;

use super::event::LiveEvent;
use super::hub::Follow;

/// More missed events than this: refetching is cheaper than replaying.
const MAX_REPLAY: usize = 5_000;
const BATCH: i64 = 500;

pub enum Missed {
    Events(Vec<LiveEvent>),
    /// Refetch: `beyond_retention`, `too_many_missed` or `unavailable`.
    Reset(&'static str),
}

/// The events matching `follow` (and visible to `staff`) with ids in
/// `(after, until]`, oldest first.
pub async fn missed(db: &DbPool, follow: &Follow, staff: bool, after: i64, until: i64) -> Missed {
    let Ok(mut conn) = db.get().await else {
        return Missed::Reset("unavailable");
    };
    match OrderEvent::pruned_after(&mut conn, after).await {
        Ok(false) => {}
        Ok(true) => return Missed::Reset("beyond_retention"),
        Err(_) => return Missed::Reset("unavailable"),
    }
    let mut found = Vec::new();
    let mut cursor = after;
    while cursor < until {
        let Ok(page) = OrderEvent::after(&mut conn, follow.scope(), cursor, BATCH).await else {
            return Missed::Reset("unavailable");
        };
        let full = page.len() as i64 == BATCH;
        for (event, order) in page {
            if event.id > until {
                return Missed::Events(found);
            }
            cursor = event.id;
            let event = LiveEvent::new(event, order);
            if event.visible_to(staff) && follow.matches(&event) {
                found.push(event);
                if found.len() > MAX_REPLAY {
                    return Missed::Reset("too_many_missed");
                }
            }
        }
        if !full {
            break;
        }
    }
    Missed::Events(found)
}
