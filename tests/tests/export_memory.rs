//! A 100,000-row export streams without the api holding it in memory.
//!
//! Alone in its own test binary: it reads this process's peak RSS, which the
//! e2e suite's concurrent tests would otherwise move.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel_async::RunQueryDsl;
use futures::StreamExt;
use ordertrack_tests::{guest_order, TestApp};

/// The process's resident memory now and at its peak since the last reset (kB).
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).unwrap().parse().unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[tokio::test]
async fn a_hundred_thousand_rows_stream_in_flat_memory() {
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
    let (mut bytes, mut lines) = (0usize, 0usize);
    // Peak RSS once a fifth of the rows are out: past it, streaming adds nothing.
    let mut at_a_fifth = None;
    let mut body = res.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        if lines >= 20_000 && at_a_fifth.is_none() {
            at_a_fifth = Some(rss().1);
        }
    }
    let (_, peak) = rss();
    assert_eq!(lines, 100_002, "a header, 100,001 messages");
    let (early, late) = (at_a_fifth.unwrap().saturating_sub(before), peak.saturating_sub(at_a_fifth.unwrap()));
    println!("exported {bytes} bytes; peak RSS grew {early} kB by a fifth of the rows, {late} kB more by the end");
    assert!(bytes > 15_000_000, "{bytes} bytes");
    // Held in memory, the last four fifths alone would add some 14 MB.
    assert!(late < 3_000, "memory grew {late} kB over the last 80,000 rows of a {bytes}-byte export");
    app.stop().await;
}
