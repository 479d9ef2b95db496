//! Analytics from a hand-computed fixture: three orders, six emails, their
//! opens (people and machines), clicks, bounces, ratings and a late event,
//! on one day in the past. The roll-ups and the API give exactly the
//! numbers worked out by hand, and recomputing changes nothing.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::sql_types::{Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ordertrack_shared::analytics::rollup;
use ordertrack_tests::{guest_order, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

const DAY: &str = "2026-03-02";

fn at(time: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{DAY}T{time}Z")).unwrap().with_timezone(&Utc)
}

async fn exec(conn: &mut AsyncPgConnection, sql: &str) {
    diesel::sql_query(sql).execute(conn).await.unwrap_or_else(|e| panic!("{e}: {sql}"));
}

/// Moves the `event` email of `order` to `created` (+`latency_ms` to its send).
async fn place_email(conn: &mut AsyncPgConnection, order: Uuid, event: &str, created: &str, latency_ms: i64) -> Uuid {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let created = at(created);
    let rows: Vec<Id> = diesel::sql_query(
        "UPDATE notifications SET created_at = $1, sent_at = $2, updated_at = $2
          WHERE order_id = $3 AND event = $4 RETURNING id",
    )
    .bind::<Timestamptz, _>(created)
    .bind::<Timestamptz, _>(created + Duration::milliseconds(latency_ms))
    .bind::<SqlUuid, _>(order)
    .bind::<Text, _>(event)
    .load(conn)
    .await
    .unwrap();
    assert_eq!(rows.len(), 1, "one {event} email of {order}");
    rows[0].id
}

/// Moves the history entry reaching `status` of `order` to `time`.
async fn place_step(conn: &mut AsyncPgConnection, order: Uuid, status: &str, time: &str) {
    exec(
        conn,
        &format!(
            "UPDATE order_status_history SET occurred_at = '{}' WHERE order_id = '{order}' AND to_status = '{status}'",
            at(time).to_rfc3339()
        ),
    )
    .await;
}

async fn event(conn: &mut AsyncPgConnection, message: Uuid, kind: &str, machine: bool, time: &str) {
    exec(
        conn,
        &format!(
            "INSERT INTO notification_events (notification_id, order_id, kind, machine, provider, occurred_at)
             SELECT id, order_id, '{kind}', {machine}, 'ordertrack', '{}' FROM notifications WHERE id = '{message}'",
            at(time).to_rfc3339()
        ),
    )
    .await;
}

/// Every roll-up row, as text, in key order.
async fn snapshot(conn: &mut AsyncPgConnection) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        row: String,
    }
    let mut all = Vec::new();
    for table in ["notification_rollups", "notification_daily_rollups", "order_rollups", "satisfaction_rollups"] {
        let rows: Vec<Row> =
            diesel::sql_query(format!("SELECT t::text AS row FROM {table} t ORDER BY 1")).load(conn).await.unwrap();
        all.extend(rows.into_iter().map(|r| format!("{table} {}", r.row)));
    }
    all
}

async fn recompute_the_day(conn: &mut AsyncPgConnection) {
    let day: NaiveDate = DAY.parse().unwrap();
    let hours: BTreeSet<DateTime<Utc>> = (0..24).map(|h| at("00:00:00") + Duration::hours(h)).collect();
    rollup::recompute(conn, hours, BTreeSet::from([day])).await.unwrap();
}

async fn get(app: &TestApp, token: &str, query: &str) -> Value {
    let res = app.get(&format!("/api/v1/admin/analytics/{query}"), token).await;
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_hand_computed_day_rolls_up_exactly_and_recomputing_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for (number, email, locale, parcel) in [
        ("SO-A", "a@example.com", "en", Some(("dhl", "1234567890"))),
        ("SO-B", "b@example.com", "es", Some(("ups", "1Z999AA10123456784"))),
        ("SO-C", "c@example.com", "ru", None),
    ] {
        let order = app.create_order(&guest_order(number, email, locale)).await;
        let id = order["id"].as_str().unwrap().to_owned();
        if let Some((carrier, tracking_number)) = parcel {
            let shipment = json!({"carrier": carrier, "tracking_number": tracking_number});
            let res = app.post(&format!("/api/v1/orders/{id}/shipments"), &app.service_token, &shipment).await;
            assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        }
        ids.push(id.parse::<Uuid>().unwrap());
    }
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    app.set_status(&a.to_string(), "shipped").await;
    app.set_status(&a.to_string(), "delivered").await;
    app.set_status(&b.to_string(), "shipped").await;
    app.run_pending_jobs().await;

    // The day, by hand: when each step and email happened.
    let mut conn = app.db.get().await.unwrap();
    let conn = &mut *conn;
    exec(conn, "UPDATE orders SET estimated_delivery_at = '2026-03-03T12:00:00Z'").await;
    place_step(conn, a, "confirmed", "09:00:00").await;
    place_step(conn, a, "shipped", "10:00:00").await; // 1 h to ship
    place_step(conn, a, "delivered", "14:00:00").await; // 4 h to deliver, by the estimate
    place_step(conn, b, "confirmed", "09:30:00").await;
    place_step(conn, b, "shipped", "11:30:00").await; // 2 h to ship
    place_step(conn, c, "confirmed", "09:45:00").await;
    let a_confirmed = place_email(conn, a, "order_confirmed", "09:00:00", 50).await;
    let b_confirmed = place_email(conn, b, "order_confirmed", "09:30:00", 300).await;
    let c_confirmed = place_email(conn, c, "order_confirmed", "09:45:00", 300).await;
    let a_shipped = place_email(conn, a, "order_shipped", "10:00:00", 2_500).await;
    place_email(conn, b, "order_shipped", "11:30:00", 50).await;
    let a_delivered = place_email(conn, a, "delivered", "14:00:00", 300).await;
    // A: delivered, opened twice by a person and once by Apple's proxy, clicked twice.
    event(conn, a_confirmed, "delivered", false, "09:00:30").await;
    event(conn, a_confirmed, "opened", true, "09:01:00").await;
    event(conn, a_confirmed, "opened", false, "09:05:00").await;
    event(conn, a_confirmed, "clicked", false, "09:06:00").await;
    event(conn, a_confirmed, "clicked", false, "09:07:00").await;
    event(conn, a_confirmed, "opened", false, "10:20:00").await; // not its first: counts nowhere
    event(conn, a_shipped, "opened", false, "10:10:00").await;
    // B: delivered, opened by a proxy only. C: bounced.
    event(conn, b_confirmed, "delivered", false, "09:30:30").await;
    event(conn, b_confirmed, "opened", true, "09:31:00").await;
    event(conn, c_confirmed, "bounced", false, "09:46:00").await;
    // B's parcel was late; A rated 5, B rated 2.
    exec(conn, &format!("INSERT INTO shipment_issues (id, shipment_id, order_id, kind, description, detected_at, dedupe_key)
        SELECT gen_random_uuid(), s.id, s.order_id, 'eta_passed', 'late', '{}', 'fixture' FROM shipments s WHERE s.order_id = '{b}'", at("11:45:00").to_rfc3339())).await;
    exec(
        conn,
        &format!(
            "INSERT INTO order_ratings (order_id, score, notification_id, rated_at, updated_at)
        VALUES ('{a}', 5, '{a_delivered}', '{t1}', '{t1}'), ('{b}', 2, '{b_confirmed}', '{t2}', '{t2}')",
            t1 = at("15:00:00").to_rfc3339(),
            t2 = at("12:00:00").to_rfc3339()
        ),
    )
    .await;

    recompute_the_day(conn).await;
    let admin = app.admin_token.clone();

    // Messages by locale, hourly, on the 9 o'clock hour.
    let hourly = get(
        &app,
        &admin,
        &format!("notifications?from={DAY}T09:00:00Z&to={DAY}T10:00:00Z&interval=hour&group_by=locale"),
    )
    .await;
    let points = hourly["points"].as_array().unwrap();
    let counts = |p: &Value| {
        ["queued", "sent", "delivered", "bounced", "opened", "opened_machine", "clicked"]
            .map(|k| p[k].as_i64().unwrap())
    };
    assert_eq!(points.len(), 3, "{hourly}");
    assert_eq!((points[0]["group"]["locale"].as_str(), counts(&points[0])), (Some("en"), [1, 1, 1, 0, 1, 1, 1]));
    assert_eq!((points[1]["group"]["locale"].as_str(), counts(&points[1])), (Some("es"), [1, 1, 1, 0, 0, 1, 0]));
    assert_eq!((points[2]["group"]["locale"].as_str(), counts(&points[2])), (Some("ru"), [1, 1, 0, 1, 0, 0, 0]));

    // The day, all channels: six sent, latencies 50, 50, 300, 300, 300 and 2500 ms.
    let daily = get(&app, &admin, &format!("notifications?from={DAY}&to=2026-03-03&group_by=channel")).await;
    let day = &daily["points"].as_array().unwrap()[0];
    assert_eq!(day["group"], json!({"channel": "email"}));
    assert_eq!(counts(day), [6, 6, 2, 1, 2, 2, 1]);
    assert_eq!(day["delivery_rate"].as_f64().unwrap(), 2.0 / 6.0);
    // p50: the 3rd of 6 is the first of three in [250, 500): 250 + 250/3.
    assert!((day["latency_p50_ms"].as_f64().unwrap() - (250.0 + 250.0 / 3.0)).abs() < 1e-6, "{day}");
    // p90: rank 5.4, in [2000, 5000) holding the 6th: 2000 + 3000 * 0.4.
    assert!((day["latency_p90_ms"].as_f64().unwrap() - 3_200.0).abs() < 1e-6, "{day}");

    // Two dimensions read the full daily rows; none reads the day's total.
    let two = get(&app, &admin, &format!("notifications?from={DAY}&to=2026-03-03&group_by=channel,locale")).await;
    let groups: Vec<&Value> = two["points"].as_array().unwrap().iter().map(|p| &p["group"]).collect();
    assert_eq!(
        groups,
        [
            &json!({"channel": "email", "locale": "en"}),
            &json!({"channel": "email", "locale": "es"}),
            &json!({"channel": "email", "locale": "ru"})
        ]
    );
    let all = get(&app, &admin, &format!("notifications?from={DAY}&to=2026-03-03")).await;
    assert_eq!((all["points"][0]["group"].clone(), counts(&all["points"][0])), (json!({}), [6, 6, 2, 1, 2, 2, 1]));

    // Orders by carrier.
    let orders = get(&app, &admin, &format!("orders?from={DAY}&to=2026-03-03&group_by=carrier")).await;
    let by_carrier = |carrier: &str| {
        orders["points"].as_array().unwrap().iter().find(|p| p["group"]["carrier"] == carrier).cloned().unwrap()
    };
    let dhl = by_carrier("dhl");
    assert_eq!(dhl["reached"], json!({"confirmed": 1, "shipped": 1, "delivered": 1}));
    assert_eq!(dhl["to_ship_p50_hours"], 1.5, "1 h, in [1, 2)");
    assert_eq!(dhl["to_deliver_p50_hours"], 6.0, "4 h, in [4, 8)");
    assert_eq!(
        (dhl["with_estimate"].as_i64(), dhl["on_time"].as_i64(), dhl["on_time_rate"].as_f64()),
        (Some(1), Some(1), Some(1.0))
    );
    let ups = by_carrier("ups");
    assert_eq!(ups["reached"], json!({"confirmed": 1, "shipped": 1}));
    assert_eq!((ups["to_ship_p50_hours"].as_f64(), ups["delays"].as_i64()), (Some(3.0), Some(1)));
    assert_eq!(by_carrier("")["reached"], json!({"confirmed": 1}));

    // Satisfaction against delays.
    let ratings = get(&app, &admin, &format!("satisfaction?from={DAY}&to=2026-03-03&group_by=delayed")).await;
    let points: Vec<(String, i64, f64)> = ratings["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["group"]["delayed"].as_str().unwrap().to_owned(),
                p["ratings"].as_i64().unwrap(),
                p["average"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(points, [("false".to_owned(), 1, 5.0), ("true".to_owned(), 1, 2.0)]);

    // Recomputing the same day gives the same rows.
    let before = snapshot(conn).await;
    assert!(before.len() >= 10, "{before:#?}");
    recompute_the_day(conn).await;
    assert_eq!(snapshot(conn).await, before);

    // A late event (B opened by a person at 9:40, reported now): the minute's
    // run finds its hour from the watermark.
    event(conn, b_confirmed, "opened", false, "09:40:00").await;
    rollup::run_incremental(conn, Utc::now()).await.unwrap();
    let hourly = get(
        &app,
        &admin,
        &format!("notifications?from={DAY}T09:00:00Z&to={DAY}T10:00:00Z&interval=hour&group_by=locale"),
    )
    .await;
    assert_eq!(counts(&hourly["points"][1]), [1, 1, 1, 0, 1, 1, 0], "es now opened by a person");
    let after_late = snapshot(conn).await;
    recompute_the_day(conn).await;
    assert_eq!(snapshot(conn).await, after_late, "the nightly recompute agrees with the minute's run");

    // Read-only for analysts; nobody else.
    let analyst = {
        let mut conn = app.db.get().await.unwrap();
        ordertrack_shared::models::ApiToken::mint(
            &mut conn,
            ordertrack_shared::domain::Role::Analyst,
            None,
            "analyst",
            None,
        )
        .await
        .unwrap()
        .1
    };
    assert_eq!(app.get("/api/v1/admin/analytics/orders", &analyst).await.status(), 200);
    assert_eq!(app.get("/api/v1/orders", &analyst).await.status(), 403);
    assert_eq!(app.get("/api/v1/admin/analytics/orders", &app.csr_token).await.status(), 403);
    let bad = app.get("/api/v1/admin/analytics/notifications?group_by=colour", &admin).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["field"], "group_by");
    let bad = app.get("/api/v1/admin/analytics/orders?interval=hour", &admin).await;
    assert_eq!(bad.json::<Value>().await.unwrap()["field"], "interval");
    app.stop().await;
}
