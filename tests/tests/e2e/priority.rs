use std::time::{Duration, Instant};

use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::jobs::{Enqueuer, Queue, SendNotification};
use ordertrack_shared::models::NewNotification;
use ordertrack_tests::{eventually, guest_order, TestApp, REDIS_URL};

/// Thousands of bulk messages wait behind a slow relay; a delivery problem
/// on another order still goes out at once on the critical queue.
#[tokio::test]
async fn a_critical_message_overtakes_a_bulk_backlog() {
    let app = TestApp::spawn().await;
    let bulk_order = app.create_order(&guest_order("SO-BULK", "bulk@example.com", "en")).await;
    let urgent_order = app.create_order(&guest_order("SO-URGENT", "urgent@example.com", "en")).await;
    assert!(eventually(Duration::from_secs(20), || async { app.smtp.received().len() == 2 }).await);
    app.smtp.set_delay(Duration::from_millis(20));

    let bulk_id = bulk_order["id"].as_str().unwrap().parse().unwrap();
    let mut conn = app.db.get().await.unwrap();
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
        ids.push(row.insert_once(&mut conn).await.unwrap().unwrap().id);
    }
    drop(conn);
    let enqueuer = Enqueuer::new(REDIS_URL, &app.namespace, Duration::from_secs(5)).unwrap();
    for id in ids {
        enqueuer.push(Queue::NotificationsBulk, SendNotification { notification_id: id }, None).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received_before = app.smtp.received().len();
    assert!(received_before < 500, "the bulk backlog is still there ({received_before} sent)");

    let urgent_id = urgent_order["id"].as_str().unwrap().to_owned();
    app.set_status(&urgent_id, "shipped").await;
    let started = Instant::now();
    app.set_status(&urgent_id, "exception").await;
    let arrived = eventually(Duration::from_secs(5), || async {
        app.smtp
            .received()
            .iter()
            .any(|m| m.to == ["urgent@example.com"] && m.subject().to_lowercase().contains("problem"))
    })
    .await;
    let latency = started.elapsed();
    eprintln!(
        "critical email delivered {latency:?} after the status change, behind {} queued bulk emails",
        3000 - (app.smtp.received().len() - received_before)
    );
    assert!(arrived, "the critical email never arrived");
    assert!(latency < Duration::from_secs(3), "critical email took {latency:?}");
    app.stop().await;
}
