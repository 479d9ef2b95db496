//! The hot order reads seek on an index in a table of 50,000 orders (the
//! timeline's pages have their own test in `timeline_paging`): a customer's
//! list (first and deep pages), staff search by number prefix, email and
//! phone, and the public tracking link's code. Each is the very query the
//! code builds, `EXPLAIN`ed. And the analytics roll-ups read by index within
//! their time bucket, and the worker's claims and send records seek their
//! rows by id.

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
        ("BULK-01234", "orders_order_number_idx"),
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

/// Every roll-up read is bounded in time and served by an index: 50,000
/// orders, a month of messages and their facts, the minute's and a day's
/// queries explained.
#[tokio::test]
async fn analytics_roll_ups_read_by_index_within_their_bucket() {
    use diesel::sql_types::{Double, Timestamptz};
    use ordertrack_shared::analytics::{rollup, rollup_notifications, rollup_orders, rollup_satisfaction};

    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let mut conn = app.db.get().await.unwrap();
    for statement in [
        "INSERT INTO orders (id, order_number, contact_email, locale, status, ship_name, ship_line1, ship_city,
                             ship_postal_code, ship_country, tracking_code, created_at)
         SELECT md5('o' || g)::uuid, 'R-' || g, 'r@example.com', 'en', 'shipped', 'B', 'L', 'C', '28013', 'ES',
                substr(md5('t' || g), 1, 12), now() - interval '31 days' FROM generate_series(1, 50000) g",
        "INSERT INTO shipments (id, order_id, carrier, tracking_number)
         SELECT md5('s' || g)::uuid, md5('o' || g)::uuid, 'dhl', 'R' || lpad(g::text, 9, '0') FROM generate_series(1, 50000) g",
        "INSERT INTO order_status_history (order_id, to_status, source, actor, occurred_at)
         SELECT md5('o' || (g % 2000 + 1))::uuid, (ARRAY['confirmed', 'shipped', 'delivered'])[1 + g % 3], 'storefront', 'r',
                now() - g * interval '30 seconds' FROM generate_series(1, 60000) g",
        "INSERT INTO notifications (id, order_id, event, channel, recipient, locale, queue, status, dedupe_key, created_at, sent_at)
         SELECT md5('n' || g)::uuid, md5('o' || (g % 2000 + 1))::uuid, 'delayed', 'email', 'r', 'en', 'notifications', 'sent',
                'r' || g, now() - g * interval '40 seconds', now() - g * interval '40 seconds' FROM generate_series(1, 60000) g",
        "INSERT INTO notification_events (notification_id, order_id, kind, provider, occurred_at, recorded_at)
         SELECT md5('n' || g)::uuid, md5('o' || (g % 2000 + 1))::uuid, (ARRAY['delivered', 'opened', 'clicked'])[1 + k % 3],
                'bench', now() - g * interval '40 seconds' + k * interval '1 second', now() - g * interval '40 seconds'
           FROM generate_series(1, 60000) g, generate_series(1, 4) k",
        "INSERT INTO order_ratings (order_id, score, notification_id, rated_at, updated_at)
         SELECT md5('o' || g)::uuid, 1 + g % 5, md5('n' || g)::uuid, now() - g * interval '20 minutes',
                now() - g * interval '20 minutes' FROM generate_series(1, 2000) g",
        "ANALYZE",
    ] {
        sql_query(statement).execute(&mut conn).await.unwrap();
    }
    let big = ["orders", "shipments", "order_status_history", "notifications", "notification_events", "order_ratings"];
    let walks = |scans: Vec<(String, f64)>| -> Vec<String> {
        scans.into_iter().map(|(table, _)| table).filter(|t| big.contains(&t.as_str())).collect()
    };
    let now = chrono::Utc::now();
    let hour = rollup::hour_of(now);
    let (day_start, day_end) = ordertrack_shared::analytics::day_bounds(now.date_naive());
    let facts = sql_query(rollup_notifications::FACTS)
        .bind::<Timestamptz, _>(hour)
        .bind::<Timestamptz, _>(hour + chrono::Duration::hours(1))
        .bind::<diesel::sql_types::Array<Double>, _>(ordertrack_shared::analytics::histogram::LATENCY_MS);
    assert_eq!(walks(seq_scans(&mut conn, facts).await), Vec::<String>::new(), "the hour's message facts");
    for (name, sql) in [
        ("statuses reached", rollup_orders::REACHED),
        ("steps", rollup_orders::STEPS),
        ("issues", rollup_orders::ISSUES),
        ("warnings", rollup_orders::WARNINGS),
        ("ratings", rollup_satisfaction::RATED),
    ] {
        let query = sql_query(sql).bind::<Timestamptz, _>(day_start).bind::<Timestamptz, _>(day_end);
        assert_eq!(walks(seq_scans(&mut conn, query).await), Vec::<String>::new(), "{name}");
    }
    let since = now - chrono::Duration::minutes(6);
    for (name, sql) in [("late hours", rollup::LATE_HOURS), ("rated days", rollup::RATED_DAYS)] {
        let query = sql_query(sql).bind::<Timestamptz, _>(since);
        assert_eq!(walks(seq_scans(&mut conn, query).await), Vec::<String>::new(), "{name}");
    }
    app.stop().await;
}

/// The worker's grouped claim and send record find their rows by id, even
/// with statistics taken while nothing was pending: those call the partial
/// `pending` index cheap to read whole, and by now it holds thousands.
#[tokio::test]
async fn claims_and_send_records_seek_their_rows_whatever_the_statistics_say() {
    use ordertrack_shared::domain::AttemptOutcome;
    use ordertrack_shared::models::{NewNotificationAttempt, Notification, SentRecord};

    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let mut conn = app.db.get().await.unwrap();
    for statement in [
        "ALTER TABLE notifications SET (autovacuum_enabled = false)",
        "INSERT INTO orders (id, order_number, contact_email, locale, status, ship_name, ship_line1, ship_city,
                             ship_postal_code, ship_country, tracking_code)
         VALUES (md5('o1')::uuid, 'Q-1', 'r@example.com', 'en', 'shipped', 'B', 'L', 'C', '28013', 'ES', 'q1')",
        "INSERT INTO notifications (id, order_id, event, channel, recipient, locale, queue, status, dedupe_key, sent_at)
         SELECT md5('n' || g)::uuid, md5('o1')::uuid, 'delayed', 'email', 'r', 'en', 'notifications', 'sent', 'r' || g,
                now() FROM generate_series(1, 20000) g",
        "ANALYZE notifications",
        "UPDATE notifications SET status = 'pending', sent_at = NULL WHERE dedupe_key LIKE 'r1%'",
    ] {
        sql_query(statement).execute(&mut conn).await.unwrap();
    }
    let ids = [md5_uuid(&mut conn, "n1").await, md5_uuid(&mut conn, "n10").await, md5_uuid(&mut conn, "n12").await];
    let sends: Vec<SentRecord> = ids
        .iter()
        .map(|id| SentRecord {
            attempt: NewNotificationAttempt {
                notification_id: *id,
                attempt: 1,
                outcome: AttemptOutcome::Sent,
                provider: "smtp".into(),
                provider_message_id: None,
                error: None,
                started_at: Utc::now(),
                duration_ms: 1,
            },
            links: Vec::new(),
            event: None,
            wipe: false,
        })
        .collect();
    let lease = std::time::Duration::from_secs(60);
    for (name, query) in [
        ("claim", Notification::claim_all_query(&ids, lease)),
        ("send record", Notification::record_all_sent_query(&sends)),
    ] {
        let reads = index_reads(&mut conn, query).await;
        assert!(
            !reads.is_empty() && reads.iter().all(|(index, cond)| index == "notifications_pkey" && cond.is_some()),
            "{name} seeks the primary key only: {reads:?}"
        );
    }
    // The sweep reads one range of the pending index, lapsed claims included.
    let now = Utc::now();
    let sweep =
        Notification::overdue_query(now - chrono::Duration::seconds(60), now, chrono::Duration::minutes(5), 100);
    let reads = index_reads(&mut conn, sweep).await;
    assert_eq!(sought(&reads), [("notifications_pending_idx", true)], "{reads:?}");
}

/// A claim changes no indexed column, so Postgres writes its row version on
/// the same page with no index entries (a HOT update), where the move to a
/// `sending` status wrote one in each of the table's five indexes.
#[tokio::test]
async fn a_claim_writes_no_index_entry() {
    use ordertrack_shared::domain::NotificationStatus;
    use ordertrack_shared::models::Notification;

    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let mut conn = app.db.get().await.unwrap();
    for statement in [
        "INSERT INTO orders (id, order_number, contact_email, locale, status, ship_name, ship_line1, ship_city,
                             ship_postal_code, ship_country, tracking_code)
         VALUES (md5('o1')::uuid, 'H-1', 'r@example.com', 'en', 'shipped', 'B', 'L', 'C', '28013', 'ES', 'h1')",
        "INSERT INTO notifications (id, order_id, event, channel, recipient, locale, queue, dedupe_key)
         SELECT md5('n' || g)::uuid, md5('o1')::uuid, 'delayed', 'email', 'r', 'en', 'notifications', 'h' || g
         FROM generate_series(1, 3) g",
        "BEGIN",
    ] {
        sql_query(statement).execute(&mut conn).await.unwrap();
    }
    let mut ids = Vec::new();
    for n in ["n1", "n2", "n3"] {
        ids.push(md5_uuid(&mut conn, n).await);
    }
    let claimed = Notification::claim_all(&mut conn, &ids, std::time::Duration::from_secs(60)).await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert!(claimed.iter().all(|n| n.state() == NotificationStatus::Sending && n.attempts == 1), "{claimed:?}");
    // This transaction's own counts, exact and not yet flushed to the views.
    let (updated, hot): (i64, i64) = diesel::select((
        diesel::dsl::sql::<diesel::sql_types::BigInt>("pg_stat_get_xact_tuples_updated('notifications'::regclass)"),
        diesel::dsl::sql::<diesel::sql_types::BigInt>("pg_stat_get_xact_tuples_hot_updated('notifications'::regclass)"),
    ))
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!((updated, hot), (3, 3), "every claim a HOT update");
    sql_query("COMMIT").execute(&mut conn).await.unwrap();
    // A second claim finds the rows held.
    assert!(Notification::claim_all(&mut conn, &ids, std::time::Duration::from_secs(60)).await.unwrap().is_empty());
    app.stop().await;
}

/// The worker's grouped statements are planned once per connection: their
/// array of ids makes Postgres' default plan them again at every call (an
/// eighth of a status change's CPU), so the batchers' pool forces a generic
/// plan, which seeks the same primary key whatever the ids.
#[tokio::test]
async fn the_worker_s_grouped_statements_are_planned_once_per_connection() {
    use ordertrack_shared::models::Notification;

    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let lease = std::time::Duration::from_secs(60);
    // (Ids of no row: the claim plans and runs all the same.)
    let claim_plans = async |pool: &ordertrack_shared::db::DbPool| {
        let mut conn = pool.get().await.unwrap();
        for n in 1..=8 {
            let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
            Notification::claim_all(&mut conn, &ids, lease).await.unwrap();
        }
        let (custom, generic): (i64, i64) = diesel::select((
            diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT coalesce(sum(custom_plans), 0)::int8 FROM pg_prepared_statements WHERE statement LIKE 'WITH locked AS%')",
            ),
            diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT coalesce(sum(generic_plans), 0)::int8 FROM pg_prepared_statements WHERE statement LIKE 'WITH locked AS%')",
            ),
        ))
        .get_result(&mut conn)
        .await
        .unwrap();
        (custom, generic)
    };
    let default_pool = ordertrack_shared::db::pool(&app.database_url, 1).unwrap();
    let (custom, _) = claim_plans(&default_pool).await;
    assert!(custom >= 5, "Postgres' default plans at least the first five calls anew: {custom}");
    let batch_pool = ordertrack_shared::db::pool_planning_once(&app.database_url, 1).unwrap();
    assert_eq!(claim_plans(&batch_pool).await, (0, 8), "one generic plan, used at every call");
}

/// A status change's one statement seeks each table it touches by key: the
/// order by id, and each message's recipient in the opt-outs, however many
/// recipients opted out.
#[tokio::test]
async fn a_status_change_seeks_the_order_and_the_opt_outs_by_key() {
    use ordertrack_shared::domain::OrderStatus;
    use ordertrack_shared::models::NewAuditEntry;
    use ordertrack_shared::orders::plan_status_change_of;

    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let order = app.create_order(&ordertrack_tests::guest_order("Q-2", "q@example.com", "en")).await;
    let order_id: Uuid = order["id"].as_str().unwrap().parse().unwrap();
    let mut conn = app.db.get().await.unwrap();
    for statement in [
        "INSERT INTO channel_opt_outs (channel, recipient)
         SELECT 'email', 'out' || g || '@example.com' FROM generate_series(1, 20000) g",
        "ANALYZE channel_opt_outs",
    ] {
        sql_query(statement).execute(&mut conn).await.unwrap();
    }
    let read = Order::find(&conn, order_id).await.unwrap();
    let request = ordertrack_tests::storefront_change(order_id, OrderStatus::Shipped);
    let planned = plan_status_change_of(&mut conn, read, &request).await.unwrap();
    let audit =
        NewAuditEntry { actor: "test".into(), role: "service".into(), action: "a".into(), ..Default::default() };
    let query = planned.write_query(Some(&audit)).unwrap();
    let reads = index_reads(&mut conn, query).await;
    let sought: Vec<&str> = reads.iter().filter(|(_, cond)| cond.is_some()).map(|(index, _)| index.as_str()).collect();
    assert!(sought.contains(&"orders_pkey") && sought.contains(&"channel_opt_outs_pkey"), "{reads:?}");
    let query = planned.write_query(Some(&audit)).unwrap();
    let scans = seq_scans(&mut conn, query).await;
    assert!(scans.iter().all(|(table, _)| table != "channel_opt_outs" && table != "orders"), "{scans:?}");
}

/// Pruning the event log walks its primary key from the oldest id, however
/// long the log: there is no index on `created_at` to keep up at every change.
#[tokio::test]
async fn pruning_the_event_log_walks_its_primary_key() {
    use ordertrack_shared::models::OrderEvent;

    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let mut conn = app.db.get().await.unwrap();
    for statement in [
        "INSERT INTO order_events (id, order_id, kind, staff_only, entry, created_at)
         SELECT nextval('order_event_ids'), gen_random_uuid(), 'status_change', false, '{}',
                now() - (20001 - g) * interval '1 minute'
         FROM generate_series(1, 20000) g",
        "ANALYZE order_events",
    ] {
        sql_query(statement).execute(&mut conn).await.unwrap();
    }
    let before = Utc::now() - chrono::Duration::days(7);
    let reads = index_reads(&mut conn, OrderEvent::prune_query(before, 5_000)).await;
    assert!(reads.iter().any(|(index, _)| index == "order_events_pkey"), "{reads:?}");
    let scans = seq_scans(&mut conn, OrderEvent::prune_query(before, 5_000)).await;
    assert!(scans.iter().all(|(table, _)| table != "order_events"), "{scans:?}");
}
