//! A Redis Cluster of the test's own, from the Debian `redis-server` and
//! `redis-cli` binaries, on free loopback ports in a temporary directory:
//! three masters, each with one replica (a node is failed after 1 s without
//! an answer). No persistence. Every process is killed when the cluster is
//! dropped, also when the test panics.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ordertrack_shared::redis_endpoint::NodeList;

use crate::live::{free_ports, redis_query as query};

/// How long any step (start, a failover) may take before the test fails.
const STEP: Duration = Duration::from_secs(30);

pub struct RedisCluster {
    dir: PathBuf,
    pub nodes: [u16; 6],
    children: Vec<(u16, Child)>,
}

impl RedisCluster {
    /// Starts six nodes, joins them as three masters with a replica each,
    /// and returns once every node sees all 16384 slots served.
    pub async fn start() -> RedisCluster {
        let dir = std::env::temp_dir().join(format!("ordertrack-cluster-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let ports = free_ports(6, bus_port_free);
        let mut cluster =
            RedisCluster { dir, nodes: ports.clone().try_into().expect("six ports"), children: Vec::new() };
        for port in ports.iter().copied() {
            cluster.spawn(port);
        }
        for port in &ports {
            let up =
                crate::eventually(STEP, || async move { query::<String>(*port, &redis::cmd("PING")).await.is_some() })
                    .await;
            assert!(up, "redis on {port} did not start");
        }
        let addresses: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
        let created = Command::new("redis-cli")
            .arg("--cluster")
            .arg("create")
            .args(&addresses)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .stdin(Stdio::null())
            .output()
            .expect("run redis-cli (is redis-tools installed? scripts/services installs it)");
        assert!(created.status.success(), "redis-cli --cluster create: {}", String::from_utf8_lossy(&created.stdout));
        cluster.wait_healthy().await;
        cluster
    }

    /// What the processes are configured with (`REDIS_CLUSTER_NODES`): the
    /// first three nodes are enough to discover the rest.
    pub fn config(&self) -> NodeList {
        NodeList(self.nodes[..3].iter().map(|port| ("127.0.0.1".to_owned(), *port)).collect())
    }

    pub fn url(port: u16) -> String {
        format!("redis://127.0.0.1:{port}")
    }

    /// The master serving `key`'s slot now, as the first node that answers
    /// says.
    pub async fn master_of(&self, key: &str) -> u16 {
        let slot: i64 = self.ask(redis::cmd("CLUSTER").arg("KEYSLOT").arg(key)).await.expect("CLUSTER KEYSLOT");
        self.serving(slot).await.expect("a master for the slot").0
    }

    /// `CLUSTER FAILOVER` on the replica of `key`'s master: it takes over
    /// with the master's agreement (no write lost). Returns the new master
    /// once every node routes the slot to it.
    pub async fn failover(&self, key: &str) -> u16 {
        let slot: i64 = self.ask(redis::cmd("CLUSTER").arg("KEYSLOT").arg(key)).await.expect("CLUSTER KEYSLOT");
        let (old, replica) = self.serving(slot).await.expect("a master for the slot");
        let replica = replica.expect("the master has a replica");
        let _: Option<String> = query(replica, redis::cmd("CLUSTER").arg("FAILOVER")).await;
        self.wait_serving(slot, old).await
    }

    /// `kill -9` of `key`'s master; returns the replica the cluster promotes.
    pub async fn kill_master_of(&mut self, key: &str) -> u16 {
        let slot: i64 = self.ask(redis::cmd("CLUSTER").arg("KEYSLOT").arg(key)).await.expect("CLUSTER KEYSLOT");
        let (old, _) = self.serving(slot).await.expect("a master for the slot");
        if let Some(index) = self.children.iter().position(|(p, _)| *p == old) {
            let (_, mut child) = self.children.remove(index);
            let _ = child.kill();
            let _ = child.wait();
        }
        self.wait_serving(slot, old).await
    }

    fn spawn(&mut self, port: u16) {
        let (port_arg, dir) = (port.to_string(), self.dir.to_str().expect("utf-8 path").to_owned());
        let nodes_file = format!("nodes-{port}.conf");
        let child = Command::new("redis-server")
            .args(["--port", &port_arg, "--bind", "127.0.0.1", "--dir", &dir, "--save", "", "--appendonly", "no"])
            .args(["--cluster-enabled", "yes", "--cluster-config-file", &nodes_file, "--cluster-node-timeout", "1000"])
            .args(["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server (is it installed? scripts/services installs it)");
        self.children.push((port, child));
    }

    fn alive(&self) -> impl Iterator<Item = u16> + '_ {
        self.children.iter().map(|(port, _)| *port)
    }

    /// One command to the first live node that answers.
    async fn ask<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Option<T> {
        for port in self.alive() {
            if let Some(answer) = query(port, cmd).await {
                return Some(answer);
            }
        }
        None
    }

    /// The master of `slot` and its first replica, from `CLUSTER SLOTS` as
    /// the first live node answers it.
    async fn serving(&self, slot: i64) -> Option<(u16, Option<u16>)> {
        let ranges: Vec<redis::Value> = self.ask(&redis::cmd("CLUSTER").arg("SLOTS").to_owned()).await?;
        for range in ranges {
            let redis::Value::Array(fields) = range else { continue };
            let int = |v: &redis::Value| match v {
                redis::Value::Int(i) => Some(*i),
                _ => None,
            };
            let port = |v: &redis::Value| match v {
                redis::Value::Array(node) => node.get(1).and_then(int).map(|p| p as u16),
                _ => None,
            };
            let (Some(start), Some(end)) = (fields.first().and_then(int), fields.get(1).and_then(int)) else {
                continue;
            };
            if (start..=end).contains(&slot) {
                return Some((fields.get(2).and_then(port)?, fields.get(3).and_then(port)));
            }
        }
        None
    }

    /// Until every live node routes `slot` to a master other than `old`
    /// that says it is one, and the cluster is whole again.
    async fn wait_serving(&self, slot: i64, old: u16) -> u16 {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            if let Some((new, _)) = self.serving(slot).await.filter(|(new, _)| *new != old) {
                let role: Option<redis::Value> = query(new, &redis::cmd("ROLE")).await;
                let is_master = matches!(role, Some(redis::Value::Array(r)) if r.first() == Some(&redis::Value::BulkString(b"master".to_vec())));
                if is_master && self.agree_on(slot, new).await {
                    return new;
                }
            }
            assert!(tokio::time::Instant::now() < deadline, "no failover away from {old}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn agree_on(&self, slot: i64, master: u16) -> bool {
        for port in self.alive() {
            let Some(ranges) = query::<Vec<redis::Value>>(port, &redis::cmd("CLUSTER").arg("SLOTS").to_owned()).await
            else {
                return false;
            };
            let serves = ranges.iter().any(|range| {
                let redis::Value::Array(f) = range else { return false };
                matches!((f.first(), f.get(1), f.get(2)), (Some(redis::Value::Int(s)), Some(redis::Value::Int(e)), Some(redis::Value::Array(node)))
                    if (*s..=*e).contains(&slot) && node.get(1) == Some(&redis::Value::Int(i64::from(master))))
            });
            if !serves {
                return false;
            }
        }
        true
    }

    /// Until every node says `cluster_state:ok`.
    async fn wait_healthy(&self) {
        let healthy = crate::eventually(STEP, || async move {
            for port in self.alive() {
                let info: Option<String> = query(port, redis::cmd("CLUSTER").arg("INFO")).await;
                if !info.is_some_and(|i| i.contains("cluster_state:ok")) {
                    return false;
                }
            }
            true
        })
        .await;
        assert!(healthy, "the cluster did not come up");
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A cluster node also listens on its port + 10000 (the cluster bus): that
/// one must exist and be free too.
fn bus_port_free(port: u16) -> bool {
    port.checked_add(10_000).is_some_and(|bus| std::net::TcpListener::bind(("127.0.0.1", bus)).is_ok())
}
