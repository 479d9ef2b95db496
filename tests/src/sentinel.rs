//! A Redis Sentinel set of the test's own, from the Debian `redis-server`
//! binary, on free loopback ports in a temporary directory: one master, one
//! replica, three sentinels (quorum 2, a master is down after 1 s without an
//! answer). No persistence. Every process is killed when the set is
//! dropped, also when the test panics.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ordertrack_shared::redis_endpoint::{NodeList, SentinelConfig};

use crate::live::{free_ports, redis_query as query};

/// The name the sentinels monitor the master under.
pub const MASTER_NAME: &str = "ordertrack-test";

/// How long any step of the set (start, sync, a failover) may take before
/// the test fails: generous for a loaded machine.
const STEP: Duration = Duration::from_secs(30);

pub struct SentinelSet {
    dir: PathBuf,
    /// The two data nodes; the first starts as the master.
    pub nodes: [u16; 2],
    pub sentinels: [u16; 3],
    children: Vec<(u16, Child)>,
}

impl SentinelSet {
    /// Starts the master, then its replica, then the sentinels; returns once
    /// every sentinel knows the master, the replica and the two other
    /// sentinels.
    pub async fn start() -> SentinelSet {
        let dir = std::env::temp_dir().join(format!("ordertrack-sentinel-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let ports = free_ports(5, |_| true);
        let mut set = SentinelSet {
            dir,
            nodes: [ports[0], ports[1]],
            sentinels: [ports[2], ports[3], ports[4]],
            children: Vec::new(),
        };
        let [master, replica] = set.nodes;
        set.spawn_node(master, None);
        set.spawn_node(replica, Some(master));
        set.wait_replica_of(replica, master).await;
        for port in set.sentinels {
            let conf = set.dir.join(format!("sentinel-{port}.conf"));
            let text = format!(
                "port {port}\nbind 127.0.0.1\ndir {dir}\n\
                 sentinel monitor {MASTER_NAME} 127.0.0.1 {master} 2\n\
                 sentinel down-after-milliseconds {MASTER_NAME} 1000\n\
                 sentinel failover-timeout {MASTER_NAME} 2000\n\
                 sentinel parallel-syncs {MASTER_NAME} 1\n",
                dir = set.dir.display()
            );
            std::fs::write(&conf, text).expect("sentinel.conf");
            set.spawn(port, &[conf.to_str().expect("utf-8 path"), "--sentinel"]);
        }
        set.wait_sentinels_agree(master).await;
        set
    }

    /// What the processes are configured with (`REDIS_SENTINELS`,
    /// `REDIS_SENTINEL_MASTER`).
    pub fn config(&self) -> SentinelConfig {
        SentinelConfig {
            sentinels: NodeList(self.sentinels.iter().map(|port| ("127.0.0.1".to_owned(), *port)).collect()),
            master: MASTER_NAME.into(),
        }
    }

    pub fn url(port: u16) -> String {
        format!("redis://127.0.0.1:{port}")
    }

    /// The master's port as the first sentinel that answers names it.
    pub async fn master(&self) -> u16 {
        for port in self.sentinels {
            let addr: Option<Option<(String, u16)>> =
                query(port, redis::cmd("SENTINEL").arg("GET-MASTER-ADDR-BY-NAME").arg(MASTER_NAME)).await;
            if let Some(Some((_, master))) = addr {
                return master;
            }
        }
        panic!("no sentinel names a master");
    }

    /// `SENTINEL FAILOVER`: the replica is promoted without agreement (the
    /// master is up), the old master demoted. Returns the new master once the
    /// old one replicates from it and every sentinel knows both again.
    pub async fn failover(&self) -> u16 {
        let old = self.master().await;
        let _: Option<String> = query(self.sentinels[0], redis::cmd("SENTINEL").arg("FAILOVER").arg(MASTER_NAME)).await;
        let new = self.wait_master_other_than(old).await;
        self.wait_replica_of(old, new).await;
        self.wait_sentinels_agree(new).await;
        new
    }

    /// `kill -9` of the master; returns the node the sentinels promote.
    pub async fn kill_master(&mut self) -> u16 {
        let old = self.master().await;
        self.kill(old);
        self.wait_master_other_than(old).await
    }

    /// SIGKILL of one process: no goodbye to its clients, as in a crash.
    pub fn kill(&mut self, port: u16) {
        if let Some(index) = self.children.iter().position(|(p, _)| *p == port) {
            let (_, mut child) = self.children.remove(index);
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn spawn_node(&mut self, port: u16, replica_of: Option<u16>) {
        let port_arg = port.to_string();
        let dir = self.dir.to_str().expect("utf-8 path").to_owned();
        let mut args = vec!["--port", &port_arg, "--bind", "127.0.0.1", "--dir", &dir, "--save", ""];
        // No persistence; a replica syncs at once (no 5 s diskless delay).
        args.extend(["--appendonly", "no", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"]);
        let master = replica_of.map(|m| m.to_string());
        if let Some(master) = &master {
            args.extend(["--replicaof", "127.0.0.1", master]);
        }
        self.spawn(port, &args);
    }

    fn spawn(&mut self, port: u16, args: &[&str]) {
        let child = Command::new("redis-server")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server (is it installed? scripts/services installs it)");
        self.children.push((port, child));
    }

    /// Until `replica` says it replicates `master` with the link up.
    async fn wait_replica_of(&self, replica: u16, master: u16) {
        let synced = crate::eventually(STEP, || async move {
            let info: Option<String> = query(replica, redis::cmd("INFO").arg("replication")).await;
            info.is_some_and(|info| {
                info.contains(&format!("master_port:{master}\r")) && info.contains("master_link_status:up")
            })
        })
        .await;
        assert!(synced, "redis on {replica} did not sync from {master}");
    }

    /// Until every sentinel names `master`, sees it up, sees its replica up,
    /// and knows the two other sentinels again (after a failover they
    /// rediscover each other through the new master, which took 10-20 s
    /// here): ready for the next failover.
    async fn wait_sentinels_agree(&self, master: u16) {
        let agreed = crate::eventually(STEP, || async move {
            for port in self.sentinels {
                let Some(fields) =
                    query::<Vec<String>>(port, redis::cmd("SENTINEL").arg("MASTER").arg(MASTER_NAME)).await
                else {
                    return false;
                };
                let fields: HashMap<_, _> = fields.chunks(2).map(|kv| (kv[0].clone(), kv[1].clone())).collect();
                let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
                if field("port") != master.to_string()
                    || field("flags") != "master"
                    || field("num-slaves") != "1"
                    || field("num-other-sentinels") != "2"
                {
                    return false;
                }
                let Some(replicas) =
                    query::<Vec<Vec<String>>>(port, redis::cmd("SENTINEL").arg("REPLICAS").arg(MASTER_NAME)).await
                else {
                    return false;
                };
                let healthy = replicas.iter().all(|replica| {
                    let replica: HashMap<_, _> = replica.chunks(2).map(|kv| (kv[0].clone(), kv[1].clone())).collect();
                    replica.get("flags").is_some_and(|f| f == "slave")
                });
                if !healthy {
                    return false;
                }
            }
            true
        })
        .await;
        assert!(agreed, "the sentinels did not agree on master {master} with one healthy replica");
    }

    /// Until a sentinel names a master other than `old` that says it is one.
    async fn wait_master_other_than(&self, old: u16) -> u16 {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let new = self.master().await;
            if new != old {
                let role: Option<redis::Value> = query(new, &redis::cmd("ROLE")).await;
                if matches!(role, Some(redis::Value::Array(r)) if r.first() == Some(&redis::Value::BulkString(b"master".to_vec())))
                {
                    return new;
                }
            }
            assert!(tokio::time::Instant::now() < deadline, "no failover away from {old}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SentinelSet {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
