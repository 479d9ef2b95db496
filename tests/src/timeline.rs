//! The `order_timeline` table is kept by triggers as its sources change, and
//! rebuilt from them in one statement after a bulk load (`bench/dataset`):
//! an order's timeline must read the same either way.

use diesel::sql_query;
use diesel::sql_types::{BigInt, SmallInt, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;

use crate::TestApp;

#[derive(diesel::QueryableByName)]
struct Source {
    #[diesel(sql_type = SmallInt)]
    source: i16,
}

#[derive(diesel::QueryableByName)]
struct Rebuilt {
    #[diesel(sql_type = BigInt)]
    order_timeline_rebuild: i64,
}

/// The order's whole timeline as staff read it.
async fn timeline(app: &TestApp, order_id: Uuid) -> Value {
    let res = app.get(&format!("/api/v1/orders/{order_id}/timeline?limit=500"), &app.csr_token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Asserts that the order's timeline holds rows of each of `sources`
/// (0 history … 6 message facts) and reads the same after a rebuild.
pub async fn assert_rebuild_keeps_the_timeline(app: &TestApp, order_id: Uuid, sources: &[i16]) {
    let mut conn = app.db.get().await.unwrap();
    let present: Vec<Source> = sql_query("SELECT DISTINCT source FROM order_timeline WHERE order_id = $1")
        .bind::<SqlUuid, _>(order_id)
        .load(&mut conn)
        .await
        .unwrap();
    for source in sources {
        assert!(present.iter().any(|p| p.source == *source), "no timeline row of source {source} to compare");
    }
    let kept = timeline(app, order_id).await;
    let rebuilt: Rebuilt = sql_query("SELECT order_timeline_rebuild()").get_result(&mut conn).await.unwrap();
    assert!(rebuilt.order_timeline_rebuild > 0);
    assert_eq!(timeline(app, order_id).await, kept, "the rebuilt timeline reads otherwise");
}
