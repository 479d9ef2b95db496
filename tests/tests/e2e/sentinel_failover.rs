use std::time::{Duration, Instant, SystemTime};

use ordertrack_shared::redis_endpoint::RedisTopology;
use ordertrack_tests::failover::orders_survive;
use ordertrack_tests::sentinel::SentinelSet;
use ordertrack_tests::{Options, TestApp};

/// Redis behind Sentinel fails over twice while the storefront keeps
/// creating orders: first a `SENTINEL FAILOVER` (the master is demoted to a
/// replica, and still answers reads), then a `kill -9` of the new master.
/// Every order is taken, and every confirmation email goes out exactly once.
#[tokio::test]
async fn orders_keep_flowing_and_nothing_is_lost_across_sentinel_failovers() {
    let mut set = SentinelSet::start().await;
    let first = set.master().await;
    let app = TestApp::spawn_with(Options {
        // With Sentinel, the URLs only lend credentials; the harness's own
        // Redis calls go to the first master.
        api_redis_url: SentinelSet::url(first),
        redis_url: Some(SentinelSet::url(first)),
        redis_topology: RedisTopology::Sentinel(set.config()),
        // As in production: a push that finds no master gives up soon.
        enqueue_timeout: Duration::from_millis(500),
        schedulers: 1,
        // The sweep picks up pending rows 2 s old: the jobs a failover lost.
        sweep_grace: Duration::from_secs(2),
        ..Options::default()
    })
    .await;
    let started = Instant::now();
    orders_survive(&app, "SO-SF", async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let mut faults = vec![("SENTINEL FAILOVER", SystemTime::now())];
        let at = started.elapsed();
        let second = set.failover().await;
        eprintln!(
            "SENTINEL FAILOVER at {at:.1?}: {first} -> {second} (sentinels settled at {:.1?})",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        faults.push(("kill -9", SystemTime::now()));
        let at = started.elapsed();
        let third = set.kill_master().await;
        eprintln!("kill -9 of {second} at {at:.1?}: -> {third} (promoted at {:.1?})", started.elapsed());
        tokio::time::sleep(Duration::from_secs(3)).await;
        faults
    })
    .await;
    app.stop().await;
    drop(set);
}
