use std::time::Duration;

use ordertrack_shared::jobs::Queue;
use ordertrack_tests::{Options, TestApp, REDIS_URL};

/// Two schedulers tick together; each tick is won, and enqueued, once.
#[tokio::test]
async fn two_schedulers_handle_each_tick_once() {
    let app = TestApp::spawn_with(Options { worker: false, schedulers: 2, ..Options::default() }).await;
    // A real clock is the subject: the cron (every second) ticks a few times.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let client = redis::Client::open(REDIS_URL).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let ticks: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}:scheduler:sweep_outbox:*", app.namespace))
        .query_async(&mut conn)
        .await
        .unwrap();
    let queued: usize = redis::cmd("HLEN")
        .arg(format!("{}:data", Queue::Maintenance.redis_name(&app.namespace)))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(ticks.len() >= 2, "ticks: {ticks:?}");
    assert_eq!(queued, ticks.len(), "one sweep job per tick, not one per scheduler");
    app.stop().await;
}
