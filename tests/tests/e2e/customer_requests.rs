use chrono::Utc;
use ordertrack_shared::domain::NotificationEvent;
use ordertrack_shared::models::{AuditEntry, Order};
use ordertrack_tests::{customer_order, TestApp};
use serde_json::{json, Value};

async fn customer_with_parcel(app: &TestApp, external: &str, number: &str) -> (String, String) {
    let order = app.create_order(&customer_order(number, external)).await;
    let id = order["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/orders/{id}/shipments"),
        &app.service_token,
        &json!({"carrier": "dhl", "tracking_number": format!("{}000", &number[3..]).repeat(2)}),
    )
    .await;
    (id, app.customer_token(external).await)
}

fn in_days(days: i64) -> String {
    (Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

#[tokio::test]
async fn owners_reschedule_change_address_and_write_to_support() {
    let app = TestApp::spawn().await;
    let (order_id, token) = customer_with_parcel(&app, "rita", "SO-1234").await;
    let path = format!("/api/v1/orders/{order_id}/requests");
    let res = app.post(&path, &token, &json!({"kind": "reschedule", "date": in_days(3)})).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
    let address = json!({"kind": "change_address", "address": {"name": "Rita", "line1": "Strada Lunga 5", "city": "Iasi", "postal_code": "700001", "country": "ro"}});
    assert_eq!(app.post(&path, &token, &address).await.status(), 201);
    let res = app
        .post(&path, &token, &json!({"kind": "contact_support", "message": "The box may be damaged, please check."}))
        .await;
    assert_eq!(res.status(), 201);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "open", "a support message waits for customer service");

    let timeline: Vec<Value> =
        app.get(&format!("/api/v1/orders/{order_id}/timeline"), &token).await.json().await.unwrap();
    assert_eq!(timeline.iter().filter(|e| e["kind"] == "customer_request").count(), 3);
    let mut conn = app.db.get().await.unwrap();
    let audit = AuditEntry::for_target(&mut conn, "order", &order_id).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        ["customer_request.reschedule", "customer_request.change_address", "customer_request.contact_support"]
    );
    assert!(audit.iter().all(|a| a.role == "customer"));
    drop(conn);
    let confirmations = app
        .notifications(order_id.parse().unwrap())
        .await
        .iter()
        .map(|n| n.event)
        .filter(|e| matches!(e, NotificationEvent::RequestReceived | NotificationEvent::RequestResolved))
        .collect::<Vec<_>>();
    assert_eq!(
        confirmations,
        [NotificationEvent::RequestReceived, NotificationEvent::RequestResolved, NotificationEvent::RequestReceived],
        "each request is confirmed; the address change as done"
    );

    let queue: Value = app.get("/api/v1/requests", &app.csr_token).await.json().await.unwrap();
    assert_eq!(queue["requests"].as_array().unwrap().len(), 2, "the address change needs nobody");
    assert_eq!(app.get("/api/v1/requests", &token).await.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn requests_are_validated_and_only_for_ones_own_orders() {
    let app = TestApp::spawn().await;
    let (order_id, token) = customer_with_parcel(&app, "sam", "SO-5678").await;
    let (_, other) = customer_with_parcel(&app, "tom", "SO-9999").await;
    let path = format!("/api/v1/orders/{order_id}/requests");
    assert_eq!(app.post(&path, &other, &json!({"kind": "contact_support", "message": "hi"})).await.status(), 404);
    for (body, status, field) in [
        (json!({"kind": "reschedule", "date": in_days(0)}), 422, Some("date")),
        (json!({"kind": "reschedule", "date": in_days(30)}), 422, Some("date")),
        (json!({"kind": "reschedule", "date": "someday"}), 400, None),
        (json!({"kind": "contact_support", "message": "   "}), 422, Some("message")),
        (json!({"kind": "contact_support", "message": "x".repeat(2001)}), 422, Some("message")),
        (json!({"kind": "teleport"}), 400, None),
        (
            json!({"kind": "change_address", "address": {"name": "S", "line1": "1 A St", "city": "X", "postal_code": "1", "country": "Spain"}}),
            422,
            Some("address.country"),
        ),
        // A Spanish postal code has five digits.
        (
            json!({"kind": "change_address", "address": {"name": "S", "line1": "1 A St", "city": "X", "postal_code": "2801", "country": "ES"}}),
            422,
            Some("address.postal_code"),
        ),
    ] {
        let res = app.post(&path, &token, &body).await;
        assert_eq!(res.status(), status, "{body}");
        if let Some(field) = field {
            assert_eq!(res.json::<Value>().await.unwrap()["field"], field, "{body}");
        }
    }
    // Too late for an address change once it is out for delivery.
    app.set_status(&order_id, "shipped").await;
    app.set_status(&order_id, "out_for_delivery").await;
    let address = json!({"kind": "change_address", "address": {"name": "S", "line1": "1 A St", "city": "X", "postal_code": "28001", "country": "ES"}});
    let res = app.post(&path, &token, &address).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "too_late");
    let mut conn = app.db.get().await.unwrap();
    let audit = AuditEntry::for_target(&mut conn, "order", &order_id).await.unwrap();
    assert!(audit.iter().all(|a| !a.action.starts_with("customer_request")), "refusals change nothing");
    app.stop().await;
}

#[tokio::test]
async fn guests_use_their_tracking_link() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&ordertrack_tests::guest_order("SO-G1", "g@example.com", "es")).await;
    let id = order["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/orders/{id}/shipments"),
        &app.service_token,
        &json!({"carrier": "dhl", "tracking_number": "5555555555"}),
    )
    .await;
    let conn = app.db.get().await.unwrap();
    let code = Order::find(&conn, id.parse().unwrap()).await.unwrap().tracking_code;
    drop(conn);
    let url = app.url(&format!("/api/v1/tracking/{code}/requests"));
    let res = app.http.post(&url).json(&json!({"kind": "reschedule", "date": in_days(2)})).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let res = app
        .http
        .post(app.url("/api/v1/tracking/AAAAAAAAAAAA/requests"))
        .json(&json!({"kind": "contact_support", "message": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn the_request_queue_pages_by_cursor_and_lists_every_open_request_once() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("SO-2468", "pia")).await;
    let order_id = order["id"].as_str().unwrap();
    let token = app.customer_token("pia").await;
    let mut ids = Vec::new();
    for i in 0..8 {
        let body = json!({"kind": "contact_support", "message": format!("Question number {i}")});
        let res = app.post(&format!("/api/v1/orders/{order_id}/requests"), &token, &body).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
        ids.push(res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    // A resolved request leaves the queue.
    resolve(&app, &ids.remove(2)).await;
    let (listed, sizes) = crate::carriers::walk_pages(&app, "/api/v1/requests", "requests", 2).await;
    assert_eq!(listed, ids, "oldest first, each open request exactly once");
    assert_eq!(sizes, [2, 2, 2, 1]);

    // Requests resolved while staff page through the queue do not shift the next page.
    let first: Value = app.get("/api/v1/requests?limit=2", &app.csr_token).await.json().await.unwrap();
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    resolve(&app, &ids[0]).await;
    resolve(&app, &ids[1]).await;
    let second: Value =
        app.get(&format!("/api/v1/requests?limit=2&cursor={cursor}"), &app.csr_token).await.json().await.unwrap();
    let second: Vec<&str> = second["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(second, [ids[2].as_str(), ids[3].as_str()]);
    crate::carriers::refuses_bad_paging(&app, "/api/v1/requests").await;
    app.stop().await;
}

async fn resolve(app: &TestApp, id: &str) {
    let body = json!({"status": "resolved", "resolution": "Answered"});
    let res = app.post(&format!("/api/v1/requests/{id}/resolve"), &app.csr_token, &body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
}
