//! Raw exports: every format, audited, bad input named. That a large export
//! streams in flat memory is `tests/export_memory.rs`, alone in its process.

use ordertrack_tests::{guest_order, TestApp};
use serde_json::Value;

#[tokio::test]
async fn every_format_is_served_audited_and_keeps_addresses_in() {
    let app = TestApp::spawn().await;
    app.create_order(&guest_order("SO-X", "x@example.com", "en")).await;
    app.run_pending_jobs().await;
    let from = (chrono::Utc::now() - chrono::Duration::days(2)).format("%Y-%m-%d").to_string();

    let csv = app.get(&format!("/api/v1/admin/exports/notifications?format=csv&from={from}"), &app.admin_token).await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"ordertrack-notifications-"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("id,order_id,event,channel,locale,status,attempts,created_at"));
    assert!(text.lines().count() >= 2, "a header and the order's confirmation: {text}");
    assert!(!text.contains("x@example.com"), "no addresses leave");

    // NDJSON and Parquet of the same range.
    let ndjson = app.get(&format!("/api/v1/admin/exports/orders?format=ndjson&from={from}"), &app.admin_token).await;
    assert_eq!(ndjson.headers()["content-type"], "application/x-ndjson");
    let text = ndjson.text().await.unwrap();
    let row: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!((row["order_number"].as_str(), row["status"].as_str()), (Some("SO-X"), Some("confirmed")));
    let parquet =
        app.get(&format!("/api/v1/admin/exports/notifications?format=parquet&from={from}"), &app.admin_token).await;
    let file = parquet.bytes().await.unwrap();
    assert!(file.starts_with(b"PAR1") && file.ends_with(b"PAR1"), "a Parquet file");

    // Bad input names the field; each export is audited.
    let bad = app.get("/api/v1/admin/exports/notifications?format=xlsx", &app.admin_token).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["field"], "format");
    assert_eq!(app.get("/api/v1/admin/exports/customers", &app.admin_token).await.status(), 404);
    let audit: Value =
        app.get("/api/v1/admin/audit?action=analytics.export", &app.admin_token).await.json().await.unwrap();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 3);
    app.stop().await;
}
