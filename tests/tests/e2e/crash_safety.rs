use std::time::Duration;

use ordertrack_shared::domain::NotificationStatus;
use ordertrack_shared::jobs::MaintenanceJob;
use ordertrack_tests::{guest_order, Options, TestApp, DEAD_REDIS_URL};

/// An api whose Redis is down (the worker's is up), so only the sweep
/// queues a message's job; every pending row is overdue at once.
fn api_without_redis() -> Options {
    Options {
        api_redis_url: DEAD_REDIS_URL.into(),
        enqueue_timeout: Duration::from_millis(300),
        sweep_grace: Duration::ZERO,
        ..Options::default()
    }
}

/// Redis is down when the order commits: the order and its outbox row are
/// kept, and the outbox sweep gets the email out once a worker can reach
/// Redis. (The sweep is pushed here as a scheduler tick would push it; the
/// cron itself is the subject of `scheduler.rs`.)
#[tokio::test]
async fn an_order_taken_while_redis_is_down_gets_its_email_exactly_once() {
    let app = TestApp::spawn_with(api_without_redis()).await;
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

/// A worker claims an email and dies: the sweep leaves the row alone while
/// the claim's lease runs, and sends it once the lease has run out.
#[tokio::test]
async fn an_email_claimed_by_a_dead_worker_is_sent_once_its_lease_runs_out() {
    use diesel::sql_query;
    use diesel_async::RunQueryDsl;
    use ordertrack_shared::models::Notification;

    // No job reaches Redis: the row is what the dead worker left.
    let app = TestApp::spawn_with(api_without_redis()).await;
    let order = app.create_order(&guest_order("SO-DEAD", "dead@example.com", "en")).await;
    let id = order["id"].as_str().unwrap().parse().unwrap();
    let notification_id = app.notifications(id).await[0].id;
    let mut conn = app.db.get().await.unwrap();
    let claimed = Notification::claim_all(&mut conn, &[notification_id], Duration::from_secs(3600)).await.unwrap();
    assert_eq!(claimed.len(), 1, "the doomed worker's claim");

    app.run_job(MaintenanceJob::SweepOutbox { tick: 1 }).await;
    assert!(app.smtp.received().is_empty(), "a claim within its lease is left alone");
    assert_eq!(app.notifications(id).await[0].state(), NotificationStatus::Sending);

    // (The lease's hour, passed.)
    sql_query("UPDATE notifications SET locked_until = now() - interval '1 second'").execute(&mut conn).await.unwrap();
    app.run_job(MaintenanceJob::SweepOutbox { tick: 2 }).await;
    assert_eq!(app.smtp.received().len(), 1, "the sweep sends what the dead worker held");
    app.run_job(MaintenanceJob::SweepOutbox { tick: 3 }).await;
    assert_eq!(app.smtp.received().len(), 1, "once");
    let n = &app.notifications(id).await[0];
    assert_eq!((n.state(), n.attempts), (NotificationStatus::Sent, 2), "the dead worker's attempt counts");
    app.stop().await;
}

/// Postgres goes away between the provider's answer and the bookkeeping:
/// the worker keeps the outcome and writes it once Postgres is back, so the
/// email is recorded as sent and never sent again.
#[tokio::test]
async fn a_sends_outcome_survives_a_database_outage_after_the_send() {
    use diesel::sql_query;
    use diesel_async::RunQueryDsl;

    let app = TestApp::spawn_with(Options { sweep_grace: Duration::ZERO, ..Options::default() }).await;
    app.smtp.hold("held");
    let order = app.create_order(&guest_order("SO-PG", "held@example.com", "en")).await;
    let id = order["id"].as_str().unwrap().parse().unwrap();
    let sending = || async { app.notifications(id).await[0].state() == NotificationStatus::Sending };
    assert!(ordertrack_tests::eventually(Duration::from_secs(10), sending).await, "the worker claims the email");

    let notification_id = app.notifications(id).await[0].id;
    // The outage: no new connections, and every open one is cut but ours.
    let mut conn = app.db.get().await.unwrap();
    let (database, ours): (String, i32) = diesel::select((
        diesel::dsl::sql::<diesel::sql_types::Text>("current_database()"),
        diesel::dsl::sql::<diesel::sql_types::Integer>("pg_backend_pid()"),
    ))
    .get_result(&mut conn)
    .await
    .unwrap();
    let admin_url = format!("{}/postgres", app.database_url.rsplit_once('/').unwrap().0);
    let mut admin =
        <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&admin_url).await.unwrap();
    let allow = |on: bool| format!("ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {on}");
    sql_query(allow(false)).execute(&mut admin).await.unwrap();
    sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> {ours}"
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    app.smtp.release_held();
    assert!(ordertrack_tests::eventually(Duration::from_secs(10), || async { app.smtp.received().len() == 1 }).await);
    // A real clock is the subject: the worker keeps retrying for as long as
    // the outage lasts (one second here), holding the outcome.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let row = ordertrack_shared::models::Notification::find(&mut conn, notification_id).await.unwrap();
    assert_eq!(row.state(), NotificationStatus::Sending, "not recorded while Postgres is away");
    sql_query(allow(true)).execute(&mut admin).await.unwrap();
    drop(conn);

    let sent = || async { app.notifications(id).await[0].status == NotificationStatus::Sent };
    assert!(
        ordertrack_tests::eventually(Duration::from_secs(10), sent).await,
        "the outcome lands once Postgres is back"
    );
    app.run_job(MaintenanceJob::SweepOutbox { tick: 1 }).await;
    assert_eq!(app.smtp.received().len(), 1, "sent once");
    let n = &app.notifications(id).await[0];
    assert_eq!(app.attempts(n.id).await.len(), 1);
    app.stop().await;
}
