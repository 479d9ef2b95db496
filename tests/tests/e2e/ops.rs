use ordertrack_tests::{guest_order, Options, TestApp, DEAD_REDIS_URL};
use serde_json::Value;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    assert_eq!(app.http.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["redis"], "ok");

    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    // One order's routes sit in a scope of their own: labelled by their whole pattern all the same.
    for path in [format!("/api/v1/orders/{id}"), format!("/api/v1/orders/{id}/timeline")] {
        assert_eq!(app.get(&path, &app.service_token).await.status(), 200, "{path}");
    }
    let metrics = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for route in [
        r#"http_requests_total{method="POST",route="/api/v1/orders",status="201"}"#,
        r#"http_requests_total{method="GET",route="/api/v1/orders/{id}",status="200"}"#,
        r#"http_requests_total{method="GET",route="/api/v1/orders/{id}/timeline",status="200"}"#,
    ] {
        assert!(metrics.contains(route), "{route} in {metrics}");
    }
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

/// The metric names a PromQL expression reads: identifiers outside label
/// matchers, ranges and grouping lists that are not functions or keywords.
fn metrics_in(expr: &str) -> Vec<String> {
    const KEYWORDS: [&str; 18] = [
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "inf",
        "sum",
        "min",
        "max",
        "avg",
        "count",
        "group",
        "stddev",
        "stdvar",
        "topk",
        "bottomk",
        "quantile",
        "count_values",
    ];
    const GROUPINGS: [&str; 6] = ["by", "without", "on", "ignoring", "group_left", "group_right"];
    let chars: Vec<char> = expr.chars().collect();
    let (mut found, mut i) = (Vec::new(), 0);
    let skip_to = |from: usize, open: char, close: char| {
        let mut depth = 0;
        (from..chars.len())
            .find(|&j| {
                depth += i32::from(chars[j] == open) - i32::from(chars[j] == close);
                depth == 0 && chars[j] == close
            })
            .map_or(chars.len(), |j| j + 1)
    };
    while i < chars.len() {
        match chars[i] {
            '{' => i = skip_to(i, '{', '}'),
            '[' => i = skip_to(i, '[', ']'),
            '"' => i = (i + 1..chars.len()).find(|&j| chars[j] == '"').map_or(chars.len(), |j| j + 1),
            c if c.is_ascii_alphabetic() || c == '_' || c == ':' || c == '$' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_:$".contains(chars[i])) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let next = chars[i..].iter().find(|c| !c.is_whitespace()).copied();
                if GROUPINGS.contains(&word.as_str()) {
                    // Its label list, when it has one (group_left may not).
                    if next == Some('(') {
                        let open = (i..chars.len()).find(|&j| chars[j] == '(').unwrap_or(chars.len());
                        i = skip_to(open, '(', ')');
                    }
                } else if next != Some('(') && !KEYWORDS.contains(&word.as_str()) && !word.starts_with('$') {
                    found.push(word);
                }
            }
            _ => i += 1,
        }
    }
    found
}

#[test]
fn promql_metric_names_are_read_past_labels_ranges_and_groupings() {
    let expr = r#"histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{status=~"5.."}[$__rate_interval]))) / on(queue) group_left max(queue_jobs) or vector(0)"#;
    assert_eq!(metrics_in(expr), ["http_request_duration_seconds_bucket", "queue_jobs"]);
}

#[tokio::test]
async fn every_metric_the_dashboard_queries_is_exposed() {
    let app = TestApp::spawn().await;
    // Traffic that touches each part: an order and its email, a refused
    // webhook, a timeline read, a live stream; then a gauge refresh.
    let order = app.create_order(&guest_order("SO-OPS", "ops@example.com", "en")).await;
    app.run_pending_jobs().await;
    let id = order["id"].as_str().unwrap();
    app.get(&format!("/api/v1/orders/{id}/timeline"), &app.admin_token).await;
    let refused = app.http.post(app.url("/webhooks/fedex")).body("{}").send().await.unwrap();
    assert_eq!(refused.status(), 401);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let exposed = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let families: std::collections::BTreeSet<&str> =
        exposed.lines().filter_map(|l| l.strip_prefix("# TYPE ")).filter_map(|l| l.split_whitespace().next()).collect();

    let dashboard: Value =
        serde_json::from_str(&std::fs::read_to_string("../ops/grafana/dashboards/ordertrack.json").unwrap()).unwrap();
    fn exprs(panels: &Value, out: &mut Vec<String>) {
        for panel in panels.as_array().into_iter().flatten() {
            for target in panel["targets"].as_array().into_iter().flatten() {
                out.extend(target["expr"].as_str().map(str::to_owned));
            }
            exprs(&panel["panels"], out);
        }
    }
    let mut queries = Vec::new();
    exprs(&dashboard["panels"], &mut queries);
    assert!(queries.len() >= 20, "{} queries", queries.len());
    let missing: std::collections::BTreeSet<String> = queries
        .iter()
        .flat_map(|q| metrics_in(q))
        .map(|m| {
            ["_bucket", "_sum", "_count"].iter().fold(m, |m, s| m.strip_suffix(s).map_or(m.clone(), str::to_owned))
        })
        .filter(|m| !families.contains(m.as_str()))
        .collect();
    assert!(missing.is_empty(), "the dashboard queries metrics /metrics does not expose: {missing:?}");
    app.stop().await;
}
