//! The hot order reads seek on an index in a table of 50,000 orders (the
//! timeline's pages have their own test in `timeline_paging`): a customer's
//! list (first and deep pages), staff search by number prefix, email and
//! phone, and the public tracking link's code. Each is the very query the
//! code builds, `EXPLAIN`ed.

use chrono::{DateTime, Utc};
use diesel::{sql_query, ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use ordertrack_shared::models::{Order, OrderFilter, SortOrder};
use ordertrack_shared::schema::orders;
use ordertrack_tests::explain::{index_reads, seq_scans};
use ordertrack_tests::{Options, TestApp};
use uuid::Uuid;

fn filter(customer_id: Option<Uuid>, search: Option<&str>, after: Option<(DateTime<Utc>, Uuid)>) -> OrderFilter {
    OrderFilter {
        customer_id,
        status: None,
        active: None,
        sort: SortOrder::NewestFirst,
        search: search.map(str::to_owned),
        after,
        limit: 25,
    }
}

/// The indexes read, each with whether it was sought (an `Index Cond`).
fn sought(reads: &[(String, Option<String>)]) -> Vec<(&str, bool)> {
    reads.iter().map(|(index, cond)| (index.as_str(), cond.is_some())).collect()
}

#[tokio::test]
async fn customer_lists_staff_search_and_tracking_codes_seek_on_indexes() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let mut conn = app.db.get().await.unwrap();
    // 5,000 customers, one with 5,000 orders (a key account), the rest ~9 each.
    for statement in [
        "INSERT INTO customers (id, external_id, email, locale)
         SELECT md5('c' || g)::uuid, 'BULK-C' || g, 'c' || g || '@example.com', 'en' FROM generate_series(1, 5000) g",
        "INSERT INTO orders (id, order_number, customer_id, contact_email, contact_phone, locale, status, ship_name,
                             ship_line1, ship_city, ship_postal_code, ship_country, tracking_code, created_at)
         SELECT md5('o' || g)::uuid, 'BULK-' || lpad(g::text, 6, '0'),
                md5('c' || CASE WHEN g % 10 = 0 THEN 1 ELSE g % 5000 + 1 END)::uuid,
                'b' || g || '@example.com', '+346' || lpad(g::text, 8, '0'), 'en', 'processing', 'B', 'Line',
                'City', '28013', 'ES', substr(md5('t' || g), 1, 12), now() - g * interval '1 minute'
         FROM generate_series(1, 50000) g",
        "ANALYZE",
    ] {
        sql_query(statement).execute(&mut conn).await.unwrap();
    }
    // The checks see a walk over the table when there is one.
    let by_city = orders::table.filter(orders::ship_city.eq("Nowhere"));
    assert_eq!(seq_scans(&mut conn, by_city).await.len(), 1);

    let key_account = md5_uuid(&mut conn, "c1").await;
    let first = filter(Some(key_account), None, None);
    let page = Order::list(&mut conn, &first).await.unwrap();
    assert_eq!(page.len(), 25);
    let last = page.last().unwrap();
    let deep = filter(Some(key_account), None, Some((last.created_at - chrono::Duration::days(20), last.id)));
    for (name, query) in [("first page", first), ("a page 20 days back", deep)] {
        let reads = index_reads(&mut conn, Order::list_query(&query)).await;
        assert_eq!(sought(&reads), [("orders_customer_created_idx", true)], "customer list, {name}: {reads:?}");
    }

    for (search, index) in [
        ("BULK-01234", "orders_number_prefix_idx"),
        ("b777@example.com", "orders_contact_email_idx"),
        ("+34600000777", "orders_contact_phone_idx"),
    ] {
        let query = || Order::list_query(&filter(None, Some(search), None));
        assert_eq!(seq_scans(&mut conn, query()).await, vec![], "search {search:?}");
        let reads = index_reads(&mut conn, query()).await;
        assert!(reads.iter().all(|(_, cond)| cond.is_some()), "search {search:?} walks an index: {reads:?}");
        assert!(reads.iter().any(|(name, _)| name == index), "search {search:?} reads {index}: {reads:?}");
    }

    let order = md5_uuid(&mut conn, "o42").await;
    let code = Order::find(&conn, order).await.unwrap().tracking_code;
    let reads = index_reads(&mut conn, Order::by_tracking_code(&code)).await;
    assert_eq!(sought(&reads), [("orders_tracking_code_idx", true)], "tracking code: {reads:?}");
    drop(conn);
    app.stop().await;
}

/// Postgres' `md5(text)::uuid`, as the bulk insert made the ids.
async fn md5_uuid(conn: &mut diesel_async::AsyncPgConnection, text: &str) -> Uuid {
    diesel::select(
        diesel::dsl::sql::<diesel::sql_types::Uuid>("md5(").bind::<diesel::sql_types::Text, _>(text).sql(")::uuid"),
    )
    .get_result(conn)
    .await
    .unwrap()
}
