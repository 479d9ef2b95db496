use ordertrack_tests::{customer_order, guest_order, TestApp};
use serde_json::{json, Value};

#[tokio::test]
async fn storefront_creates_a_guest_order() {
    let app = TestApp::spawn().await;
    let res = app.post("/api/v1/orders", &app.service_token, &guest_order("SO-1", "Guest@Example.com", "es-MX")).await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(res.headers()["etag"], "\"1\"");
    let order: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/orders/{}", order["id"].as_str().unwrap()));
    assert_eq!(order["status"], "confirmed");
    assert_eq!(order["locale"], "es");
    assert_eq!(order["version"], 1);
    assert_eq!(order["customer_id"], Value::Null);
    assert_eq!(order["contact"]["email"], "Guest@example.com");
    assert_eq!(order["shipping_address"]["country"], "ES");
    app.stop().await;
}

#[tokio::test]
async fn customer_orders_reuse_the_customer_by_external_id() {
    let app = TestApp::spawn().await;
    let first = app.create_order(&customer_order("SO-1", "cust-1")).await;
    let second = app.create_order(&customer_order("SO-2", "cust-1")).await;
    assert!(first["customer_id"].is_string());
    assert_eq!(first["customer_id"], second["customer_id"]);
    app.stop().await;
}

#[tokio::test]
async fn only_storefront_and_admin_may_create_orders() {
    let app = TestApp::spawn().await;
    let body = guest_order("SO-1", "a@example.com", "en");
    let res = app.http.post(app.url("/api/v1/orders")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let res = app.post("/api/v1/orders", "otk_not-a-real-token", &body).await;
    assert_eq!(res.status(), 401);
    let res = app.post("/api/v1/orders", &app.csr_token, &body).await;
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "forbidden");
    assert_eq!(app.post("/api/v1/orders", &app.admin_token, &body).await.status(), 201);
    app.stop().await;
}

async fn error_of(res: reqwest::Response) -> (u16, Value) {
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_named_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let url = app.url("/api/v1/orders");
    let send_raw = |body: &'static str| {
        app.http.post(&url).bearer_auth(&app.service_token).header("content-type", "application/json").body(body).send()
    };

    let (status, err) = error_of(send_raw("{not json").await.unwrap()).await;
    assert_eq!((status, err["error"].as_str().unwrap()), (400, "invalid_json"));

    let (status, err) = error_of(send_raw("").await.unwrap()).await;
    assert_eq!((status, err["error"].as_str().unwrap()), (400, "invalid_json"));

    let mut wrong_type = guest_order("SO-1", "a@example.com", "en");
    wrong_type["order_number"] = json!(42);
    let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &wrong_type).await).await;
    assert_eq!((status, err["field"].as_str().unwrap()), (400, "order_number"));

    let mut unknown = guest_order("SO-1", "a@example.com", "en");
    unknown["shipping_address"]["planet"] = json!("Mars");
    let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &unknown).await).await;
    assert_eq!(status, 400);
    assert!(err["message"].as_str().unwrap().contains("planet"), "{err}");

    let mut missing = guest_order("SO-1", "a@example.com", "en");
    missing["shipping_address"].as_object_mut().unwrap().remove("city");
    let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &missing).await).await;
    assert_eq!(status, 400);
    assert!(err["message"].as_str().unwrap().contains("city"), "{err}");

    for (field, value, expected_field) in [
        ("locale", json!("de"), "locale"),
        ("status", json!("delivered"), "status"),
        ("order_number", json!("SO 1!"), "order_number"),
        ("estimated_delivery_at", json!("2001-01-01T00:00:00Z"), "estimated_delivery_at"),
    ] {
        let mut body = guest_order("SO-1", "a@example.com", "en");
        body[field] = value;
        let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &body).await).await;
        assert_eq!((status, err["field"].as_str().unwrap()), (422, expected_field), "{err}");
    }

    let mut bad_email = guest_order("SO-1", "not-an-email", "en");
    let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &bad_email).await).await;
    assert_eq!((status, err["field"].as_str().unwrap()), (422, "guest.email"));

    bad_email["guest"] = json!({"name": "No Contact"});
    let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &bad_email).await).await;
    assert_eq!(status, 422, "{err}");

    let mut both = customer_order("SO-1", "c-1");
    both["guest"] = json!({"email": "g@example.com"});
    let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &both).await).await;
    assert_eq!((status, err["field"].as_str().unwrap()), (422, "guest"));

    let mut huge = guest_order("SO-1", "a@example.com", "en");
    huge["guest"]["name"] = json!("x".repeat(64 * 1024));
    let (status, err) = error_of(app.post("/api/v1/orders", &app.service_token, &huge).await).await;
    assert_eq!((status, err["error"].as_str().unwrap()), (413, "payload_too_large"));

    let list: Value = app.get("/api/v1/orders", &app.admin_token).await.json().await.unwrap();
    assert_eq!(list["orders"].as_array().unwrap().len(), 0, "nothing was stored");
    app.stop().await;
}

#[tokio::test]
async fn a_duplicate_order_number_conflicts() {
    let app = TestApp::spawn().await;
    app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let (status, err) =
        error_of(app.post("/api/v1/orders", &app.service_token, &guest_order("SO-1", "b@example.com", "en")).await)
            .await;
    assert_eq!((status, err["error"].as_str().unwrap()), (409, "order_exists"));
    app.stop().await;
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_response() {
    let app = TestApp::spawn().await;
    let body = guest_order("SO-1", "a@example.com", "en");
    let send = |key: &'static str, body: Value| {
        app.http
            .post(app.url("/api/v1/orders"))
            .bearer_auth(&app.service_token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = send("key-1", body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send("key-1", body.clone()).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);

    let mut other = body.clone();
    other["order_number"] = json!("SO-2");
    let (status, err) = error_of(send("key-1", other).await.unwrap()).await;
    assert_eq!((status, err["error"].as_str().unwrap()), (422, "idempotency_key_reused"));

    // Concurrent retries with one key create one order.
    let concurrent =
        futures::future::join_all((0..8).map(|_| send("key-2", guest_order("SO-3", "c@example.com", "en")))).await;
    let ids: std::collections::HashSet<String> = futures::future::join_all(concurrent.into_iter().map(|r| async {
        let r = r.unwrap();
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }))
    .await
    .into_iter()
    .collect();
    assert_eq!(ids.len(), 1);

    let list: Value = app.get("/api/v1/orders", &app.admin_token).await.json().await.unwrap();
    assert_eq!(list["orders"].as_array().unwrap().len(), 2);
    app.stop().await;
}
