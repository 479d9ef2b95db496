use diesel::sql_types::Uuid as SqlUuid;
use diesel::{sql_query, QueryDsl};
use diesel_async::RunQueryDsl;
use ordertrack_shared::orders::timeline_page::{page_query, PageRequest};
use ordertrack_tests::explain::{index_reads, seq_scans};
use ordertrack_tests::{guest_order, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

/// 1,000 status changes and 1,000 carrier scans, in pairs at the same
/// instant (ties broken by source, then id), on one order.
async fn long_order(app: &TestApp) -> (Uuid, Uuid) {
    let order = app.create_order(&guest_order("TL-LONG", "long@example.com", "en")).await;
    let id: Uuid = order["id"].as_str().unwrap().parse().unwrap();
    let parcel = app
        .post(
            &format!("/api/v1/orders/{id}/shipments"),
            &app.admin_token,
            &json!({"carrier": "dhl", "tracking_number": "1234567890"}),
        )
        .await;
    assert_eq!(parcel.status(), 201);
    let shipment: Uuid = parcel.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap();
    let mut conn = app.db.get().await.unwrap();
    sql_query(
        "INSERT INTO order_status_history (order_id, from_status, to_status, source, actor, occurred_at)
         SELECT $1, 'processing', 'on_hold', 'system', 'test', timestamptz '2026-06-01 00:00:00Z' + (g / 2) * interval '1 second'
         FROM generate_series(1, 1000) g",
    )
    .bind::<SqlUuid, _>(id)
    .execute(&mut conn)
    .await
    .unwrap();
    sql_query(
        "INSERT INTO tracking_events (shipment_id, status, carrier_code, description, occurred_at, source, applied, raw)
         SELECT $1, 'in_transit', 'X' || g, 'Scan ' || g, timestamptz '2026-06-01 00:00:00Z' + (g / 2) * interval '1 second', 'simulator', false, '{}'
         FROM generate_series(1, 1000) g",
    )
    .bind::<SqlUuid, _>(shipment)
    .execute(&mut conn)
    .await
    .unwrap();
    (id, shipment)
}

/// Follows `Link: rel="next"` from `first` to the end; returns every entry and the page count.
async fn read_all(app: &TestApp, first: String) -> (Vec<Value>, usize) {
    let (mut entries, mut pages, mut next) = (Vec::new(), 0, Some(first));
    while let Some(path) = next {
        let res = app.get(&path, &app.csr_token).await;
        assert_eq!(res.status(), 200);
        next = res.headers().get("link").map(|link| {
            let link = link.to_str().unwrap();
            assert!(link.ends_with(r#">; rel="next""#), "{link}");
            link[1..link.find('>').unwrap()].to_owned()
        });
        let page: Vec<Value> = res.json().await.unwrap();
        assert!(page.len() <= 100, "a page holds at most the limit: {}", page.len());
        entries.extend(page);
        pages += 1;
    }
    (entries, pages)
}

#[tokio::test]
async fn a_long_timeline_answers_a_page_at_a_time_in_either_order() {
    let app = TestApp::spawn().await;
    let (id, _) = long_order(&app).await;
    let whole: Vec<Value> =
        app.get(&format!("/api/v1/orders/{id}/timeline?limit=500"), &app.csr_token).await.json().await.unwrap();
    assert_eq!(whole.len(), 500, "one page, capped at its limit");

    let (oldest, pages) = read_all(&app, format!("/api/v1/orders/{id}/timeline?limit=100")).await;
    // Creation's status changes, the parcel, then the 2,000 rows.
    assert!(oldest.len() > 2000, "{}", oldest.len());
    assert_eq!(pages, oldest.len().div_ceil(100));
    assert_eq!(oldest[..500], whole[..], "pages join up to what one big page shows");
    let times: Vec<&str> = oldest.iter().map(|e| e["occurred_at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first, across pages");
    // At each shared instant the status change comes before the scan, as in one page.
    let tie = oldest.iter().position(|e| e["kind"] == "carrier_event").unwrap();
    assert_eq!(oldest[tie - 1]["kind"], "status_change");
    assert_eq!(oldest[tie - 1]["occurred_at"], oldest[tie]["occurred_at"]);

    let (mut newest, _) =
        read_all(&app, format!("/api/v1/orders/{id}/timeline?order=newest&limit=100&locale=es")).await;
    newest.reverse();
    let key =
        |e: &Value| (e["kind"].clone(), e["occurred_at"].clone(), e["location"].clone(), e["carrier_text"].clone());
    assert_eq!(newest.iter().map(key).collect::<Vec<_>>(), oldest.iter().map(key).collect::<Vec<_>>());
    assert!(newest.iter().any(|e| e["title"] == "En tránsito"), "the link keeps the language");
    app.stop().await;
}

#[tokio::test]
async fn a_bad_page_size_or_cursor_is_named_and_refused() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("TL-BAD", "bad@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    for (query, field) in
        [("limit=0", "limit"), ("limit=501", "limit"), ("cursor=abc", "cursor"), ("cursor=1.9.1", "cursor")]
    {
        let res = app.get(&format!("/api/v1/orders/{id}/timeline?{query}"), &app.csr_token).await;
        assert_eq!(res.status(), 422, "{query}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["field"], field, "{query}: {body}");
    }
    let short = app.get(&format!("/api/v1/orders/{id}/timeline"), &app.csr_token).await;
    assert!(short.headers().get("link").is_none(), "no next page for a short timeline");
    app.stop().await;
}

/// With 200,000 history rows and 200,000 scans around it, a page of the
/// long order's timeline reads one index range, staff's and shoppers'.
#[tokio::test]
async fn timeline_pages_seek_on_their_indexes_in_a_large_table() {
    let app = TestApp::spawn().await;
    let (id, _) = long_order(&app).await;
    let mut conn = app.db.get().await.unwrap();
    for statement in [
        "INSERT INTO orders (id, order_number, contact_email, locale, status, ship_name, ship_line1, ship_city, ship_postal_code, ship_country, tracking_code)
         SELECT md5('o' || g)::uuid, 'BULK-' || g, 'b' || g || '@example.com', 'en', 'processing', 'B', 'Line', 'City', '28013', 'ES', md5('t' || g)
         FROM generate_series(1, 20000) g",
        "INSERT INTO order_status_history (order_id, from_status, to_status, source, actor, occurred_at)
         SELECT md5('o' || (g % 20000 + 1))::uuid, 'confirmed', 'processing', 'system', 'bulk', now() - g * interval '1 second'
         FROM generate_series(1, 200000) g",
        "INSERT INTO shipments (id, order_id, carrier, tracking_number) SELECT md5('s' || g)::uuid, md5('o' || g)::uuid, 'ups', '1Z' || g FROM generate_series(1, 20000) g",
        "INSERT INTO tracking_events (shipment_id, status, carrier_code, description, occurred_at, source, applied, raw)
         SELECT md5('s' || (g % 20000 + 1))::uuid, 'in_transit', 'B' || g, 'Bulk', now() - g * interval '1 second', 'simulator', false, '{}'
         FROM generate_series(1, 200000) g",
        "ANALYZE",
    ] {
        sql_query(statement).execute(&mut conn).await.unwrap();
    }
    // The check itself sees a whole-table read when there is one.
    let everything = ordertrack_shared::schema::order_status_history::table
        .select(ordertrack_shared::schema::order_status_history::id);
    let whole = seq_scans(&mut conn, everything).await;
    assert_eq!(whole.iter().map(|(table, _)| table.as_str()).collect::<Vec<_>>(), ["order_status_history"]);
    // The tables this test leaves small (preferences) may be read whole;
    // none of the large ones is.
    let large = |scans: Vec<(String, f64)>| -> Vec<String> {
        let large = ["orders", "order_timeline"];
        scans.into_iter().map(|(table, _)| table).filter(|table| large.contains(&table.as_str())).collect()
    };
    for (newest_first, staff) in [(false, true), (true, true), (false, false), (true, false)] {
        let first = PageRequest { newest_first, limit: 100, after: None };
        assert_eq!(
            large(seq_scans(&mut conn, page_query(id, &first, staff)).await),
            Vec::<String>::new(),
            "newest first: {newest_first}, staff: {staff}"
        );
    }
    // A deep page too: the cursor of the 900th entry.
    let res = app.get(&format!("/api/v1/orders/{id}/timeline?limit=500"), &app.csr_token).await;
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    let cursor = link.split("cursor=").nth(1).unwrap().split(['&', '>']).next().unwrap();
    let deep = PageRequest {
        newest_first: false,
        limit: 100,
        after: Some(ordertrack_shared::orders::timeline_page::TimelineCursor::decode(cursor).unwrap()),
    };
    assert_eq!(large(seq_scans(&mut conn, page_query(id, &deep, true)).await), Vec::<String>::new());
    // And the page seeks to the cursor on its index, staff's and the
    // shoppers' (without message facts), rather than walk the order's
    // entries up to it.
    for (staff, index) in [(true, "order_timeline_pkey"), (false, "order_timeline_shopper_idx")] {
        let reads = index_reads(&mut conn, page_query(id, &deep, staff)).await;
        let seek = reads.iter().find(|(name, _)| name == index).and_then(|(_, cond)| cond.as_deref());
        assert!(seek.is_some_and(|cond| cond.contains("occurred_at")), "{index}: {reads:?}");
    }
    app.stop().await;
}
