use std::time::Duration;

use ordertrack_shared::domain::NotificationStatus;
use ordertrack_shared::jobs::{MaintenanceJob, Queue};
use ordertrack_tests::{guest_order, Options, TestApp};
use ordertrack_worker::config::parse_queues;

/// `--queues` decides what a worker serves: one started for other queues
/// leaves notifications alone; one for `notifications` sends them.
#[tokio::test]
async fn a_worker_serves_only_its_queues() {
    let app = TestApp::spawn_with(Options {
        queues: vec![Queue::NotificationsCritical, Queue::Maintenance],
        ..Options::default()
    })
    .await;
    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let id = order["id"].as_str().unwrap().parse().unwrap();
    // The queues this worker serves drain (a ping proves it is up), while the
    // order's email waits on a queue nobody serves.
    app.enqueuer().push(Queue::Maintenance, MaintenanceJob::Ping { sent_at_ms: 0 }, None).await.unwrap();
    app.run_pending_jobs_in(&[Queue::NotificationsCritical, Queue::Maintenance]).await;
    let notifications = app.queue_states(&[Queue::Notifications]).await[0].1;
    assert_eq!(notifications.workers, 0, "no worker registered on the notifications queue");
    assert_eq!(notifications.active + notifications.due, 1, "the email's job waits: {notifications:?}");
    assert_eq!(app.notifications(id).await[0].status, NotificationStatus::Pending);
    assert!(app.smtp.received().is_empty());

    let mut config = app.worker_config.clone();
    config.queues = parse_queues("notifications").unwrap();
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let worker = ordertrack_tests::spawn_worker(config, shutdown);
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1);
    drop(stop);
    let _ = worker.await;
    app.stop().await;
}

#[test]
fn queue_lists_are_parsed_strictly() {
    assert_eq!(
        parse_queues("notifications-critical, maintenance").unwrap(),
        [Queue::NotificationsCritical, Queue::Maintenance]
    );
    assert!(parse_queues("notifications,urgent").unwrap_err().contains("urgent"));
    assert!(parse_queues(" , ").is_err());
}

/// apalis-redis alone stops fetching once more than ~8000 jobs are due at
/// once ("too many results to unpack"); the worker's chunked promotion keeps
/// a backlog after an outage flowing.
#[tokio::test]
async fn a_backlog_of_thousands_of_due_jobs_is_drained() {
    use ordertrack_shared::jobs::{Enqueuer, SendNotification};
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let enqueuer = Enqueuer::new(ordertrack_tests::REDIS_URL, &app.namespace, Duration::from_secs(5)).unwrap();
    for _ in 0..9000 {
        let job = SendNotification { notification_id: uuid::Uuid::now_v7() };
        enqueuer.push(Queue::Notifications, job, None).await.unwrap();
    }
    app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let worker = ordertrack_tests::spawn_worker(app.worker_config.clone(), shutdown);
    // Panics with the queues' state if the backlog stalls the worker.
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1);
    drop(stop);
    let _ = worker.await;
    app.stop().await;
}

/// Finished jobs leave nothing behind in Redis once vacuumed, and expired
/// idempotency keys leave Postgres; pending work is untouched.
#[tokio::test]
async fn vacuum_drops_finished_jobs_and_expired_idempotency_keys() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn().await;
    app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1);
    let res = app
        .http
        .post(app.url("/api/v1/orders"))
        .bearer_auth(&app.service_token)
        .header("Idempotency-Key", "old-key")
        .json(&guest_order("SO-2", "b@example.com", "en"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mut conn = app.db.get().await.unwrap();
    diesel::sql_query("UPDATE idempotency_keys SET created_at = now() - interval '2 days'")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let redis = redis::Client::open(ordertrack_tests::REDIS_URL).unwrap();
    let mut r = redis.get_multiplexed_async_connection().await.unwrap();
    let data_key = format!("{}:data", Queue::Notifications.redis_name(&app.namespace));
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 2);
    let before: usize = redis::cmd("HLEN").arg(&data_key).query_async(&mut r).await.unwrap();
    assert!(before >= 2, "finished jobs are still stored: {before}");

    let ctx = ordertrack_worker::context(app.worker_config.clone()).unwrap();
    let (jobs, keys) = ordertrack_worker::jobs::vacuum::vacuum(&ctx).await.unwrap();
    assert!(jobs >= 2, "{jobs}");
    assert_eq!(keys, 1);
    let after: usize = redis::cmd("HLEN").arg(&data_key).query_async(&mut r).await.unwrap();
    assert_eq!(after, 0);
    app.stop().await;
}
