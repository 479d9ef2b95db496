use ordertrack_tests::{guest_order, Options, TestApp};
use serde_json::{json, Value};

async fn lookup(app: &TestApp, body: Value) -> reqwest::Response {
    app.http.post(app.url("/api/v1/tracking")).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn guests_track_by_order_number_and_email_or_postal_code() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("SO-77", "Guest@Example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/orders/{id}/status"),
        &app.admin_token,
        &json!({"status": "shipped", "note": "internal"}),
    )
    .await;

    let res = lookup(&app, json!({"order_number": "SO-77", "email": "guest@EXAMPLE.com"})).await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "shipped");
    assert_eq!(view["status_text"], "Order shipped");
    assert_eq!(view["timeline"].as_array().unwrap().len(), 2);
    assert!(view.get("shipping_address").is_none() && view.get("contact").is_none());
    assert!(view["timeline"].as_array().unwrap().iter().all(|e| e.get("note").is_none() && e.get("actor").is_none()));

    let res = lookup(&app, json!({"order_number": "SO-77", "postal_code": " 46 001 "})).await;
    assert_eq!(res.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn any_mismatch_is_the_same_404() {
    let app = TestApp::spawn().await;
    app.create_order(&guest_order("SO-77", "guest@example.com", "en")).await;
    let mut bodies = Vec::new();
    for body in [
        json!({"order_number": "SO-77", "email": "someone@example.com"}),
        json!({"order_number": "SO-77", "postal_code": "99999"}),
        json!({"order_number": "SO-78", "email": "guest@example.com"}),
        json!({"order_number": "SO-77", "email": "not an email"}),
    ] {
        let res = lookup(&app, body.clone()).await;
        assert_eq!(res.status(), 404, "{body}");
        bodies.push(res.text().await.unwrap());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "responses differ: {bodies:?}");
    let res = lookup(&app, json!({"order_number": "SO-77"})).await;
    assert_eq!(res.status(), 422);
    app.stop().await;
}

#[tokio::test]
async fn public_lookups_are_rate_limited_per_ip() {
    let app = TestApp::spawn_with(Options { tracking_rate_per_minute: 3, ..Options::default() }).await;
    ordertrack_tests::start_of_a_rate_window().await;
    for _ in 0..3 {
        assert_eq!(lookup(&app, json!({"order_number": "X", "email": "a@example.com"})).await.status(), 404);
    }
    let res = lookup(&app, json!({"order_number": "X", "email": "a@example.com"})).await;
    assert_eq!(res.status(), 429);
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(res.headers()["ratelimit-limit"], "3");
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "rate_limited");
    app.stop().await;
}
