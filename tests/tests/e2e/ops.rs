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

/// The document is served (its coverage of the router is
/// `api/src/openapi/coverage.rs`), with Swagger UI, and an unknown path is a
/// JSON 404.
#[tokio::test]
async fn the_openapi_document_and_swagger_ui_are_served() {
    let app = TestApp::spawn().await;
    let doc: Value = app.http.get(app.url("/api-docs/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["paths"]["/api/v1/orders"]["post"].is_object(), "{doc}");
    let ui = app.http.get(app.url("/swagger-ui/")).send().await.unwrap();
    assert_eq!(ui.status(), 200);
    let unknown = app.http.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"], "not_found");
    app.stop().await;
}
