use ordertrack_tests::{guest_order, Options, TestApp, DEAD_REDIS_URL};
use serde_json::Value;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    assert_eq!(app.http.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["redis"], "ok");

    app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let metrics = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"http_requests_total{method="POST",route="/api/v1/orders",status="201"}"#), "{metrics}");
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    app.stop().await;
}

#[tokio::test]
async fn readiness_fails_when_redis_is_down() {
    let app =
        TestApp::spawn_with(Options { api_redis_url: DEAD_REDIS_URL.into(), worker: false, ..Options::default() })
            .await;
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: Value = ready.json().await.unwrap();
    assert_eq!((body["postgres"].as_str().unwrap(), body["redis"].as_str().unwrap()), ("ok", "down"));
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_covers_every_endpoint() {
    let app = TestApp::spawn().await;
    let doc: Value = app.http.get(app.url("/api-docs/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/orders", "post"),
        ("/api/v1/orders", "get"),
        ("/api/v1/orders/{id}", "get"),
        ("/api/v1/orders/{id}/timeline", "get"),
        ("/api/v1/orders/{id}/status", "post"),
        ("/api/v1/orders/{id}/shipments", "post"),
        ("/api/v1/tracking", "post"),
        ("/api/v1/tokens", "post"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} undocumented");
    }
    let ui = app.http.get(app.url("/swagger-ui/")).send().await.unwrap();
    assert_eq!(ui.status(), 200);
    let unknown = app.http.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"], "not_found");
    app.stop().await;
}
