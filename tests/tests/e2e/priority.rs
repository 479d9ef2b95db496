use std::time::Instant;

use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::jobs::{Queue, SendNotification};
use ordertrack_shared::models::NewNotification;
use ordertrack_tests::{guest_order, TestApp};

/// Thousands of bulk messages wait behind a relay that is stuck for them; a
/// delivery problem on another order still goes out at once on the critical
/// queue. (The bulk sends are held, not slowed, so the outcome does not
/// depend on how fast anything runs.)
#[tokio::test]
async fn a_critical_message_overtakes_a_bulk_backlog() {
    let app = TestApp::spawn().await;
    let bulk_order = app.create_order(&guest_order("SO-BULK", "bulk@example.com", "en")).await;
    let urgent_order = app.create_order(&guest_order("SO-URGENT", "urgent@example.com", "en")).await;
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 2);
    app.smtp.hold("fan");

    let bulk_id = bulk_order["id"].as_str().unwrap().parse().unwrap();
    let conn = app.db.get().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..3000 {
        let row = NewNotification::for_order(
            bulk_id,
            &i.to_string(),
            NotificationEvent::Custom,
            Channel::Email,
            format!("fan{i}@example.com"),
            Locale::En,
        )
        .payload(serde_json::json!({"message": "Our autumn catalogue is out"}));
        ids.push(row.insert_once(&conn).await.unwrap().unwrap().id);
    }
    drop(conn);
    let enqueuer = app.enqueuer();
    for id in ids {
        enqueuer.push(Queue::NotificationsBulk, SendNotification { notification_id: id }, None).await.unwrap();
    }

    let urgent_id = urgent_order["id"].as_str().unwrap().to_owned();
    app.set_status(&urgent_id, "shipped").await;
    let started = Instant::now();
    app.set_status(&urgent_id, "exception").await;
    // The urgent order's queues drain while the bulk queue cannot move.
    app.run_pending_jobs_in(&[Queue::NotificationsCritical, Queue::Notifications]).await;
    let latency = started.elapsed();
    let received = app.smtp.received();
    assert!(
        received.iter().any(|m| m.to == ["urgent@example.com"] && m.subject().to_lowercase().contains("problem")),
        "the critical email never arrived"
    );
    assert!(received.iter().all(|m| !m.to[0].starts_with("fan")), "no bulk email could be sent");
    let bulk = app.queue_states(&[Queue::NotificationsBulk]).await[0].1;
    let waiting = bulk.active + bulk.due + bulk.in_flight;
    eprintln!("critical email delivered {latency:?} after the status change, ahead of {waiting} queued bulk emails");
    assert!(waiting >= 2900, "the bulk backlog is still there: {bulk:?}");
    app.smtp.release_held();
    app.stop().await;
}
