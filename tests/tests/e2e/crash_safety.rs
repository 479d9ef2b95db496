use std::time::Duration;

use ordertrack_shared::domain::NotificationStatus;
use ordertrack_shared::jobs::MaintenanceJob;
use ordertrack_tests::{guest_order, Options, TestApp, DEAD_REDIS_URL};

/// Redis is down when the order commits: the order and its outbox row are
/// kept, and the outbox sweep gets the email out once a worker can reach
/// Redis. (The sweep is pushed here as a scheduler tick would push it; the
/// cron itself is the subject of `scheduler.rs`.)
#[tokio::test]
async fn an_order_taken_while_redis_is_down_gets_its_email_exactly_once() {
    let app = TestApp::spawn_with(Options {
        api_redis_url: DEAD_REDIS_URL.into(),
        enqueue_timeout: Duration::from_millis(300),
        // Every pending row is overdue at once: the grace is not the subject.
        sweep_grace: Duration::ZERO,
        ..Options::default()
    })
    .await;
    let started = std::time::Instant::now();
    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    // A real clock is the subject: the api gives up on Redis after its
    // enqueue timeout (300 ms) instead of stalling the shopper.
    assert!(started.elapsed() < Duration::from_secs(2), "a dead Redis must not stall the request");
    let id = order["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(app.notifications(id).await[0].status, NotificationStatus::Pending);
    app.run_pending_jobs().await;
    assert!(app.smtp.received().is_empty(), "the job never reached Redis: only the sweep can send it");

    app.run_job(MaintenanceJob::SweepOutbox { tick: 1 }).await;
    assert_eq!(app.smtp.received().len(), 1, "the sweeper never delivered the email");
    // Further sweeps change nothing.
    app.run_job(MaintenanceJob::SweepOutbox { tick: 2 }).await;
    app.run_job(MaintenanceJob::SweepOutbox { tick: 3 }).await;
    assert_eq!(app.smtp.received().len(), 1);
    let n = &app.notifications(id).await[0];
    assert_eq!((n.status, n.attempts), (NotificationStatus::Sent, 1));
    app.stop().await;
}
