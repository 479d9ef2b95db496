use std::collections::HashSet;

use ordertrack_tests::{customer_order, TestApp};
use serde_json::{json, Value};

#[tokio::test]
async fn customers_see_their_own_orders_and_nobody_elses() {
    let app = TestApp::spawn().await;
    let mine = app.create_order(&customer_order("SO-A1", "alice")).await;
    let theirs = app.create_order(&customer_order("SO-B1", "bob")).await;
    let alice = app.customer_token("alice").await;

    let res = app.get(&format!("/api/v1/orders/{}", mine["id"].as_str().unwrap()), &alice).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"1\"");
    assert_eq!(res.json::<Value>().await.unwrap()["order_number"], "SO-A1");

    // Bob's order looks exactly like one that does not exist.
    for path in [
        format!("/api/v1/orders/{}", theirs["id"].as_str().unwrap()),
        format!("/api/v1/orders/{}/timeline", theirs["id"].as_str().unwrap()),
    ] {
        let res = app.get(&path, &alice).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.json::<Value>().await.unwrap()["error"], "not_found");
    }
    let missing = app.get(&format!("/api/v1/orders/{}", uuid::Uuid::now_v7()), &alice).await;
    assert_eq!(missing.status(), 404);

    let list: Value = app.get("/api/v1/orders", &alice).await.json().await.unwrap();
    let numbers: Vec<&str> =
        list["orders"].as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["SO-A1"]);

    // Staff see everything.
    let list: Value = app.get("/api/v1/orders", &app.csr_token).await.json().await.unwrap();
    assert_eq!(list["orders"].as_array().unwrap().len(), 2);
    let res = app.get(&format!("/api/v1/orders/{}", theirs["id"].as_str().unwrap()), &app.csr_token).await;
    assert_eq!(res.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn bad_path_and_query_parameters_are_400() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/orders/not-a-uuid", &app.admin_token).await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_path");
    for query in ["limit=0", "limit=101", "status=lost", "sort=price", "cursor=garbage", "colour=red"] {
        let res = app.get(&format!("/api/v1/orders?{query}"), &app.admin_token).await;
        assert_eq!(res.status(), 400, "{query}");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().starts_with("invalid_"), "{query}: {body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn listing_filters_sorts_and_pages_without_gaps_or_repeats() {
    let app = TestApp::spawn().await;
    let mut created = Vec::new();
    for i in 0..7 {
        let mut body = customer_order(&format!("SO-{i}"), "carol");
        body["placed_at"] = json!(format!("2026-01-0{}T10:00:00Z", i + 1));
        created.push(app.create_order(&body).await);
    }
    app.post(
        &format!("/api/v1/orders/{}/status", created[2]["id"].as_str().unwrap()),
        &app.admin_token,
        &json!({"status": "cancelled", "note": "customer asked"}),
    )
    .await;
    let carol = app.customer_token("carol").await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/orders?limit=3&cursor={c}"),
            None => "/api/v1/orders?limit=3".into(),
        };
        let page: Value = app.get(&path, &carol).await.json().await.unwrap();
        seen.extend(page["orders"].as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ["SO-6", "SO-5", "SO-4", "SO-3", "SO-2", "SO-1", "SO-0"], "newest first by default");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 7);

    let oldest: Value = app.get("/api/v1/orders?sort=created_at&limit=2", &carol).await.json().await.unwrap();
    let numbers: Vec<&str> =
        oldest["orders"].as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["SO-0", "SO-1"]);

    let cancelled: Value = app.get("/api/v1/orders?status=cancelled", &carol).await.json().await.unwrap();
    let numbers: Vec<&str> =
        cancelled["orders"].as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["SO-2"]);
    assert_eq!(cancelled["next_cursor"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn the_timeline_lists_status_changes_and_shipments_in_either_order() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("SO-1", "dan")).await;
    let id = order["id"].as_str().unwrap();
    for status in ["processing", "shipped"] {
        let res = app
            .post(
                &format!("/api/v1/orders/{id}/status"),
                &app.admin_token,
                &json!({"status": status, "note": "packed"}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = app
        .post(
            &format!("/api/v1/orders/{id}/shipments"),
            &app.service_token,
            &json!({"carrier": "ups", "tracking_number": "1Z999AA10123456784"}),
        )
        .await;
    assert_eq!(res.status(), 201);

    let oldest: Vec<Value> =
        app.get(&format!("/api/v1/orders/{id}/timeline"), &app.csr_token).await.json().await.unwrap();
    let kinds: Vec<(&str, &str)> = oldest
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["status"].as_str().or(e["shipment"]["carrier"].as_str()).unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("status_change", "confirmed"),
            ("status_change", "processing"),
            ("status_change", "shipped"),
            ("shipment_added", "ups")
        ]
    );
    assert_eq!(oldest[2]["title"], "Order shipped");
    assert_eq!(oldest[2]["from_status"], "processing");
    assert_eq!(oldest[2]["note"], "packed");
    assert!(oldest[2]["actor"].as_str().unwrap().starts_with("admin:"));
    assert!(oldest.windows(2).all(|w| w[0]["occurred_at"].as_str() <= w[1]["occurred_at"].as_str()));

    let newest: Vec<Value> =
        app.get(&format!("/api/v1/orders/{id}/timeline?order=newest"), &app.csr_token).await.json().await.unwrap();
    assert_eq!(newest.first().unwrap()["kind"], "shipment_added");
    assert_eq!(newest.last().unwrap()["status"], "confirmed");

    // Customers see the same steps without staff names and notes.
    let dan = app.customer_token("dan").await;
    let theirs: Vec<Value> = app.get(&format!("/api/v1/orders/{id}/timeline"), &dan).await.json().await.unwrap();
    assert_eq!(theirs.len(), 4);
    assert!(theirs.iter().all(|e| e.get("actor").is_none() && e.get("note").is_none()));
    app.stop().await;
}
