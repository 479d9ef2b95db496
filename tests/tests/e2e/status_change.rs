use ordertrack_tests::{guest_order, TestApp};
use serde_json::{json, Value};

async fn order_id(app: &TestApp) -> String {
    app.create_order(&guest_order("SO-1", "a@example.com", "en")).await["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_valid_transition_bumps_the_version_and_appends_history() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let res = app
        .post(
            &format!("/api/v1/orders/{id}/status"),
            &app.csr_token,
            &json!({"status": "processing", "version": 1, "note": "manual fix"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"2\"");
    let order: Value = res.json().await.unwrap();
    assert_eq!((order["status"].as_str().unwrap(), order["version"].as_i64().unwrap()), ("processing", 2));
    let timeline: Vec<Value> =
        app.get(&format!("/api/v1/orders/{id}/timeline"), &app.admin_token).await.json().await.unwrap();
    assert_eq!(timeline.last().unwrap()["source"], "csr");
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_transition_is_409_with_the_allowed_next_states() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let res = app
        .post(
            &format!("/api/v1/orders/{id}/status"),
            &app.admin_token,
            &json!({"status": "delivered", "note": "manual fix"}),
        )
        .await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"], "invalid_transition");
    assert_eq!(err["current_status"], "confirmed");
    assert_eq!(err["allowed"], json!(["processing", "on_hold", "shipped", "cancelled"]));
    let order: Value = app.get(&format!("/api/v1/orders/{id}"), &app.admin_token).await.json().await.unwrap();
    assert_eq!((order["status"].as_str().unwrap(), order["version"].as_i64().unwrap()), ("confirmed", 1));
    app.stop().await;
}

#[tokio::test]
async fn a_stale_version_is_412_whether_in_the_body_or_if_match() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let path = format!("/api/v1/orders/{id}/status");
    assert_eq!(
        app.post(&path, &app.admin_token, &json!({"status": "processing", "version": 1, "note": "manual fix"}))
            .await
            .status(),
        200
    );

    let res =
        app.post(&path, &app.admin_token, &json!({"status": "shipped", "version": 1, "note": "manual fix"})).await;
    assert_eq!(res.status(), 412);
    let err: Value = res.json().await.unwrap();
    assert_eq!((err["error"].as_str().unwrap(), err["current_version"].as_i64().unwrap()), ("version_mismatch", 2));

    let res = app
        .http
        .post(app.url(&path))
        .bearer_auth(&app.admin_token)
        .header("If-Match", "\"1\"")
        .json(&json!({"status": "shipped", "note": "manual fix"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 412);
    let res = app
        .http
        .post(app.url(&path))
        .bearer_auth(&app.admin_token)
        .header("If-Match", "W/\"2\"")
        .json(&json!({"status": "shipped", "note": "manual fix"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_edits_of_one_version_let_exactly_one_win() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let path = format!("/api/v1/orders/{id}/status");
    let results =
        futures::future::join_all(["processing", "on_hold", "cancelled", "shipped"].map(|status| {
            let (app, path) = (&app, &path);
            async move {
                app.post(path, &app.admin_token, &json!({"status": status, "version": 1, "note": "manual fix"})).await
            }
        }))
        .await;
    let mut codes: Vec<u16> = results.iter().map(|r| r.status().as_u16()).collect();
    codes.sort();
    assert_eq!(codes, [200, 412, 412, 412]);
    app.stop().await;
}

#[tokio::test]
async fn staff_must_give_a_reason_and_every_manual_change_is_audited() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let path = format!("/api/v1/orders/{id}/status");
    let res = app.post(&path, &app.csr_token, &json!({"status": "processing"})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "note");
    let res = app.post(&path, &app.csr_token, &json!({"status": "processing", "note": "  "})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        app.post(&path, &app.csr_token, &json!({"status": "processing", "note": "stock confirmed"})).await.status(),
        200
    );
    assert_eq!(
        app.post(&path, &app.service_token, &json!({"status": "shipped"})).await.status(),
        200,
        "systems need no reason"
    );
    let mut conn = app.db.get().await.unwrap();
    let audit = ordertrack_shared::models::AuditEntry::for_target(&mut conn, "order", &id).await.unwrap();
    let changes: Vec<_> = audit.iter().filter(|a| a.action == "order.status_change").collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].role, "csr");
    assert_eq!(changes[0].before.as_ref().unwrap()["status"], "confirmed");
    assert_eq!(changes[0].after.as_ref().unwrap()["status"], "processing");
    assert_eq!(changes[0].after.as_ref().unwrap()["note"], "stock confirmed");
    app.stop().await;
}

#[tokio::test]
async fn unknown_orders_customers_and_bad_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let missing = format!("/api/v1/orders/{}/status", uuid::Uuid::now_v7());
    assert_eq!(
        app.post(&missing, &app.admin_token, &json!({"status": "processing", "note": "manual fix"})).await.status(),
        404
    );

    let path = format!("/api/v1/orders/{id}/status");
    let res = app.post(&path, &app.admin_token, &json!({"status": "teleported", "note": "manual fix"})).await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "status");

    app.create_order(&ordertrack_tests::customer_order("SO-E", "eve")).await;
    let customer_token = app.customer_token("eve").await;
    assert_eq!(
        app.post(&path, &customer_token, &json!({"status": "cancelled", "note": "manual fix"})).await.status(),
        403
    );
    app.stop().await;
}

/// Changes sent without a version race freely: each is applied on the
/// version it finds or refused by the workflow, and none is lost or
/// applied twice on one version (the loser of an optimistic write is
/// checked again under the order's lock).
#[tokio::test]
async fn racing_changes_without_a_version_are_each_applied_once_or_refused() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let path = format!("/api/v1/orders/{id}/status");
    let targets = ["processing", "on_hold", "processing", "on_hold", "processing", "on_hold", "processing", "on_hold"];
    let results = futures::future::join_all(targets.map(|status| {
        let (app, path) = (&app, &path);
        async move { app.post(path, &app.service_token, &json!({"status": status})).await.status().as_u16() }
    }))
    .await;
    assert!(results.iter().all(|code| [200, 409].contains(code)), "{results:?}");
    let applied = results.iter().filter(|code| **code == 200).count();
    assert!(applied >= 1, "{results:?}");

    let order: Value = app.get(&format!("/api/v1/orders/{id}"), &app.admin_token).await.json().await.unwrap();
    assert_eq!(order["version"].as_u64().unwrap() as usize, 1 + applied);
    let mut conn = app.db.get().await.unwrap();
    let audit = ordertrack_shared::models::AuditEntry::for_target(&mut conn, "order", &id).await.unwrap();
    let mut versions: Vec<i64> = audit
        .iter()
        .filter(|a| a.action == "order.status_change")
        .map(|a| a.before.as_ref().unwrap()["version"].as_i64().unwrap())
        .collect();
    versions.sort();
    assert_eq!(versions, (1..=applied as i64).collect::<Vec<_>>(), "one audited change per version");
    let history = history_len(&app, &id).await;
    assert_eq!(history, 1 + applied, "the first entry is the order's creation");
    app.stop().await;
}

/// A change planned on a version that another change has since moved past
/// writes nothing: no history, event, message or audit row.
#[tokio::test]
async fn a_change_planned_on_a_stale_read_writes_nothing() {
    use ordertrack_shared::domain::OrderStatus;
    use ordertrack_shared::models::{NewAuditEntry, Order};
    use ordertrack_shared::orders::plan_status_change_of;

    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    let order_uuid: uuid::Uuid = id.parse().unwrap();
    let mut conn = app.db.get().await.unwrap();
    let read = Order::find(&conn, order_uuid).await.unwrap();
    let request = ordertrack_tests::storefront_change(order_uuid, OrderStatus::Shipped);
    let planned = plan_status_change_of(&mut conn, read, &request).await.unwrap();
    // Another change lands between the read and the write.
    app.set_status(&id, "processing").await;
    let before = (history_len(&app, &id).await, app.notifications(order_uuid).await.len(), audit_len(&app, &id).await);

    let audit = NewAuditEntry {
        actor: "test".into(),
        role: "service".into(),
        action: "order.status_change".into(),
        ..Default::default()
    };
    assert!(planned.write(&mut conn, Some(&audit)).await.unwrap().is_none());
    let after = (history_len(&app, &id).await, app.notifications(order_uuid).await.len(), audit_len(&app, &id).await);
    assert_eq!(after, before);
    let order: Value = app.get(&format!("/api/v1/orders/{id}"), &app.admin_token).await.json().await.unwrap();
    assert_eq!((order["status"].as_str().unwrap(), order["version"].as_i64().unwrap()), ("processing", 2));
    app.stop().await;
}

async fn history_len(app: &TestApp, id: &str) -> usize {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ordertrack_shared::schema::order_status_history as h;
    let mut conn = app.db.get().await.unwrap();
    let count: i64 =
        h::table.filter(h::order_id.eq(id.parse::<uuid::Uuid>().unwrap())).count().get_result(&mut conn).await.unwrap();
    count as usize
}

async fn audit_len(app: &TestApp, id: &str) -> usize {
    let mut conn = app.db.get().await.unwrap();
    ordertrack_shared::models::AuditEntry::for_target(&mut conn, "order", id).await.unwrap().len()
}

/// The change's answer is the order as GET shows it: its parcels too, oldest
/// first (the write answers them).
#[tokio::test]
async fn the_answer_to_a_change_shows_the_order_s_parcels() {
    let app = TestApp::spawn().await;
    let id = order_id(&app).await;
    for number in ["1234 5678 9012", "1234 5678 9013"] {
        let res = app
            .post(
                &format!("/api/v1/orders/{id}/shipments"),
                &app.service_token,
                &json!({"carrier": "fedex", "tracking_number": number}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = app.post(&format!("/api/v1/orders/{id}/status"), &app.service_token, &json!({"status": "shipped"})).await;
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    let read: Value = app.get(&format!("/api/v1/orders/{id}"), &app.service_token).await.json().await.unwrap();
    let numbers = |order: &Value| -> Vec<String> {
        order["shipments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["tracking_number"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(numbers(&changed), ["123456789012", "123456789013"]);
    assert_eq!(changed["shipments"], read["shipments"]);
    app.stop().await;
}
