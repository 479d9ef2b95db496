use std::time::{Duration, Instant, SystemTime};

use ordertrack_shared::jobs::Queue;
use ordertrack_shared::redis_endpoint::RedisTopology;
use ordertrack_tests::cluster::RedisCluster;
use ordertrack_tests::failover::orders_survive;
use ordertrack_tests::{Options, TestApp};

/// On a Redis Cluster of three masters (each with a replica), the master
/// that serves the notification queue's slot fails over twice while the
/// storefront keeps creating orders: first a `CLUSTER FAILOVER` (its
/// replica takes over with its agreement), then a `kill -9` of the new
/// master. Every order is taken, and every confirmation email goes out
/// exactly once.
#[tokio::test]
async fn orders_keep_flowing_and_nothing_is_lost_across_cluster_failovers() {
    let mut cluster = RedisCluster::start().await;
    let seed = cluster.nodes[0];
    let app = TestApp::spawn_with(Options {
        // With Cluster, the URLs only lend credentials.
        api_redis_url: RedisCluster::url(seed),
        redis_url: Some(RedisCluster::url(seed)),
        redis_topology: RedisTopology::Cluster(cluster.config()),
        enqueue_timeout: Duration::from_millis(500),
        schedulers: 1,
        sweep_grace: Duration::from_secs(2),
        ..Options::default()
    })
    .await;
    // Any key of the queue names its slot: they all share its hash tag.
    let queue_key = format!("{}:active", Queue::Notifications.redis_name(&app.namespace));
    let started = Instant::now();
    orders_survive(&app, "SO-CF", async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let first = cluster.master_of(&queue_key).await;
        let mut faults = vec![("CLUSTER FAILOVER", SystemTime::now())];
        let at = started.elapsed();
        let second = cluster.failover(&queue_key).await;
        eprintln!("CLUSTER FAILOVER at {at:.1?}: {first} -> {second} (settled at {:.1?})", started.elapsed());
        tokio::time::sleep(Duration::from_secs(1)).await;
        faults.push(("kill -9", SystemTime::now()));
        let at = started.elapsed();
        let third = cluster.kill_master_of(&queue_key).await;
        eprintln!("kill -9 of {second} at {at:.1?}: -> {third} (promoted at {:.1?})", started.elapsed());
        tokio::time::sleep(Duration::from_secs(3)).await;
        faults
    })
    .await;
    app.stop().await;
    drop(cluster);
}
