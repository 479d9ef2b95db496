//! Raw exports: every format, audited, and a 100,000-row export streams
//! without the api holding it in memory.

use diesel_async::RunQueryDsl;
use futures::StreamExt;
use ordertrack_tests::{guest_order, TestApp};
use serde_json::Value;

/// The process's resident memory now and at its peak since the last reset (kB).
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).unwrap().parse().unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[tokio::test]
async fn a_hundred_thousand_rows_stream_in_flat_memory_in_every_format() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("SO-X", "x@example.com", "en")).await;
    app.run_pending_jobs().await;
    let order_id = order["id"].as_str().unwrap();
    let mut conn = app.db.get().await.unwrap();
    diesel::sql_query(format!(
        "INSERT INTO notifications (id, order_id, event, channel, recipient, locale, queue, status, dedupe_key, created_at, sent_at)
         SELECT gen_random_uuid(), '{order_id}', 'order_shipped', 'email', 'x@example.com', 'en', 'notifications', 'sent',
                'bulk-' || g, now() - g * interval '1 second', now() - g * interval '1 second' + interval '300 milliseconds'
           FROM generate_series(1, 100000) g"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    drop(conn);
    let from = (chrono::Utc::now() - chrono::Duration::days(2)).format("%Y-%m-%d").to_string();

    // Reset the peak, then read the export chunk by chunk, keeping nothing.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let (before, _) = rss();
    let res = app.get(&format!("/api/v1/admin/exports/notifications?format=csv&from={from}"), &app.admin_token).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"ordertrack-notifications-"));
    let (mut bytes, mut lines, mut first_line) = (0usize, 0usize, Vec::new());
    // Peak RSS once a fifth of the rows are out: past it, streaming adds nothing.
    let mut at_a_fifth = None;
    let mut body = res.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        if first_line.len() < 200 {
            first_line.extend_from_slice(&chunk[..chunk.len().min(200)]);
        }
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        if lines >= 20_000 && at_a_fifth.is_none() {
            at_a_fifth = Some(rss().1);
        }
    }
    let (_, peak) = rss();
    assert_eq!(lines, 100_002, "a header, 100,001 messages");
    assert!(
        String::from_utf8_lossy(&first_line).starts_with("id,order_id,event,channel,locale,status,attempts,created_at")
    );
    assert!(!String::from_utf8_lossy(&first_line).contains("x@example.com"), "no addresses leave");
    let (early, late) = (at_a_fifth.unwrap().saturating_sub(before), peak.saturating_sub(at_a_fifth.unwrap()));
    println!("exported {bytes} bytes; peak RSS grew {early} kB by a fifth of the rows, {late} kB more by the end");
    assert!(bytes > 15_000_000, "{bytes} bytes");
    // Held in memory, the last four fifths alone would add some 14 MB.
    assert!(late < 3_000, "memory grew {late} kB over the last 80,000 rows of a {bytes}-byte export");

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
