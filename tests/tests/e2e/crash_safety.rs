use std::time::Duration;

use ordertrack_shared::domain::NotificationStatus;
use ordertrack_tests::{eventually, guest_order, Options, TestApp, DEAD_REDIS_URL};

/// Redis is down when the order commits: the order and its outbox row are
/// kept, and the sweeper gets the email out once a worker can reach Redis.
#[tokio::test]
async fn an_order_taken_while_redis_is_down_gets_its_email_exactly_once() {
    let app = TestApp::spawn_with(Options {
        api_redis_url: DEAD_REDIS_URL.into(),
        schedulers: 1,
        sweep_grace: Duration::from_millis(1500),
        ..Options::default()
    })
    .await;
    let started = std::time::Instant::now();
    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    assert!(started.elapsed() < Duration::from_secs(2), "a dead Redis must not stall the request");
    let id = order["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(app.notifications(id).await[0].status, NotificationStatus::Pending);

    assert!(
        eventually(Duration::from_secs(15), || async { app.smtp.received().len() == 1 }).await,
        "the sweeper never delivered the email"
    );
    // Further sweeps and ticks change nothing.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(app.smtp.received().len(), 1);
    let n = &app.notifications(id).await[0];
    assert_eq!((n.status, n.attempts), (NotificationStatus::Sent, 1));
    app.stop().await;
}
