//! Where Redis is: one address (`REDIS_URL`, the default), the master that
//! Redis Sentinel names (`REDIS_SENTINELS` + `REDIS_SENTINEL_MASTER`), which
//! moves on a failover, or a Redis Cluster (`REDIS_CLUSTER_NODES`), whose
//! client follows slots as they move. Only `Enqueuer` (`jobs/enqueue.rs`)
//! connects through this.

use std::sync::Arc;

use redis::cluster::ClusterClient;
use redis::sentinel::{SentinelClient, SentinelNodeConnectionInfo, SentinelServerType};
use redis::{ConnectionAddr, IntoConnectionInfo, RedisResult};
use tokio::sync::Mutex;

use crate::redis_conn::RedisConn;

/// A list of `host:port,host:port,...` (sentinels, or cluster nodes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeList(pub Vec<(String, u16)>);

impl NodeList {
    pub fn parse(list: &str) -> Result<NodeList, String> {
        let nodes = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|entry| {
                let (host, port) = entry.rsplit_once(':').ok_or_else(|| format!("'{entry}': expected host:port"))?;
                let port = port.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| format!("'{entry}': bad port"))?;
                let host = host.trim_start_matches('[').trim_end_matches(']');
                if host.is_empty() {
                    return Err(format!("'{entry}': expected host:port"));
                }
                Ok((host.to_owned(), port))
            })
            .collect::<Result<Vec<_>, String>>()?;
        if nodes.is_empty() {
            return Err("lists no node".into());
        }
        Ok(NodeList(nodes))
    }

    /// Connection infos that keep `url`'s credentials and settings.
    fn infos(&self, url: &str) -> RedisResult<Vec<redis::ConnectionInfo>> {
        let settings = url.into_connection_info()?.redis_settings().clone();
        self.0
            .iter()
            .map(|(host, port)| {
                Ok(ConnectionAddr::Tcp(host.clone(), *port)
                    .into_connection_info()?
                    .set_redis_settings(settings.clone()))
            })
            .collect()
    }
}

/// `REDIS_SENTINELS` and `REDIS_SENTINEL_MASTER` (the name the sentinels
/// monitor the master under).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentinelConfig {
    pub sentinels: NodeList,
    pub master: String,
}

/// How the processes reach Redis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RedisTopology {
    /// `REDIS_URL`: one server.
    #[default]
    Single,
    /// Through Redis Sentinel; `REDIS_URL` lends its credentials and database.
    Sentinel(SentinelConfig),
    /// A Redis Cluster, found from any of these nodes; `REDIS_URL` lends its
    /// credentials.
    Cluster(NodeList),
}

impl RedisTopology {
    /// From `REDIS_SENTINELS`, `REDIS_SENTINEL_MASTER` and
    /// `REDIS_CLUSTER_NODES`; on error, the variable at fault and why.
    pub fn parse(
        sentinels: Option<&str>,
        master: Option<&str>,
        cluster: Option<&str>,
    ) -> Result<RedisTopology, (&'static str, String)> {
        let sentinel = match (sentinels, master.map(str::trim)) {
            (None, None) => None,
            (Some(_), None) => return Err(("REDIS_SENTINEL_MASTER", "REDIS_SENTINELS is set but this is not".into())),
            (None, Some(_)) => return Err(("REDIS_SENTINELS", "REDIS_SENTINEL_MASTER is set but this is not".into())),
            (Some(_), Some(master)) if master.is_empty() || master.contains(char::is_whitespace) => {
                return Err(("REDIS_SENTINEL_MASTER", format!("'{master}' must be a name without spaces")))
            }
            (Some(list), Some(master)) => Some(SentinelConfig {
                sentinels: NodeList::parse(list).map_err(|e| ("REDIS_SENTINELS", e))?,
                master: master.to_owned(),
            }),
        };
        match (sentinel, cluster) {
            (Some(_), Some(_)) => {
                Err(("REDIS_CLUSTER_NODES", "set together with REDIS_SENTINELS: choose Sentinel or Cluster".into()))
            }
            (Some(sentinel), None) => Ok(RedisTopology::Sentinel(sentinel)),
            (None, Some(list)) => {
                Ok(RedisTopology::Cluster(NodeList::parse(list).map_err(|e| ("REDIS_CLUSTER_NODES", e))?))
            }
            (None, None) => Ok(RedisTopology::Single),
        }
    }
}

/// How to reach the current Redis.
#[derive(Clone)]
pub enum RedisEndpoint {
    /// `REDIS_URL`, always the same server.
    Url(redis::Client),
    /// Asked of the sentinels at every (re)connect.
    Sentinel(Arc<Mutex<SentinelClient>>),
    /// The cluster client, and a plain client per seed node for pub/sub
    /// (a message published on any node reaches subscribers on every node).
    Cluster(Box<ClusterClient>, Vec<redis::Client>),
}

impl RedisEndpoint {
    pub fn new(url: &str, topology: &RedisTopology) -> RedisResult<RedisEndpoint> {
        match topology {
            RedisTopology::Single => Ok(RedisEndpoint::Url(redis::Client::open(url)?)),
            RedisTopology::Sentinel(sentinel) => {
                let settings = url.into_connection_info()?.redis_settings().clone();
                let node = SentinelNodeConnectionInfo::default().set_redis_connection_info(settings);
                let sentinels = sentinel
                    .sentinels
                    .0
                    .iter()
                    .map(|(host, port)| ConnectionAddr::Tcp(host.clone(), *port).into_connection_info())
                    .collect::<RedisResult<Vec<_>>>()?;
                let client =
                    SentinelClient::build(sentinels, sentinel.master.clone(), Some(node), SentinelServerType::Master)?;
                Ok(RedisEndpoint::Sentinel(Arc::new(Mutex::new(client))))
            }
            RedisTopology::Cluster(nodes) => {
                let infos = nodes.infos(url)?;
                let seeds = infos.iter().cloned().map(redis::Client::open).collect::<RedisResult<Vec<_>>>()?;
                Ok(RedisEndpoint::Cluster(Box::new(ClusterClient::new(infos)?), seeds))
            }
        }
    }

    pub fn is_sentinel(&self) -> bool {
        matches!(self, RedisEndpoint::Sentinel(_))
    }

    /// A new connection: to the one server, to the master as the sentinels
    /// name it now (an error while they have not agreed on one), or to the
    /// cluster.
    pub async fn connect(&self) -> RedisResult<RedisConn> {
        Ok(match self {
            RedisEndpoint::Url(client) => RedisConn::Single(client.get_connection_manager().await?),
            RedisEndpoint::Sentinel(sentinel) => {
                let client = sentinel.lock().await.async_get_client().await?;
                RedisConn::Single(client.get_connection_manager().await?)
            }
            RedisEndpoint::Cluster(client, _) => RedisConn::Cluster(client.get_async_connection().await?),
        })
    }

    /// A dedicated pub/sub connection: to the server, the master, or the
    /// first seed node of the cluster that answers.
    pub async fn pubsub(&self) -> RedisResult<redis::aio::PubSub> {
        match self {
            RedisEndpoint::Url(client) => client.get_async_pubsub().await,
            RedisEndpoint::Sentinel(sentinel) => {
                sentinel.lock().await.async_get_client().await?.get_async_pubsub().await
            }
            RedisEndpoint::Cluster(_, seeds) => {
                let mut last = redis::RedisError::from((redis::ErrorKind::Io, "no cluster node configured"));
                for seed in seeds {
                    match seed.get_async_pubsub().await {
                        Ok(pubsub) => return Ok(pubsub),
                        Err(e) => last = e,
                    }
                }
                Err(last)
            }
        }
    }
}

/// Whether the server behind `conn` is a master (`ROLE`): `Some(false)` for
/// a replica (a demoted master), `None` if it does not answer.
pub async fn is_master(conn: &mut impl redis::aio::ConnectionLike) -> Option<bool> {
    let role = redis::cmd("ROLE").query_async::<redis::Value>(conn).await.ok()?;
    let redis::Value::Array(role) = role else { return None };
    Some(match role.first() {
        Some(redis::Value::BulkString(kind)) => kind == b"master",
        Some(redis::Value::SimpleString(kind)) => kind == "master",
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        sentinels: Option<&str>,
        master: Option<&str>,
        cluster: Option<&str>,
    ) -> Result<RedisTopology, &'static str> {
        RedisTopology::parse(sentinels, master, cluster).map_err(|(name, _)| name)
    }

    #[test]
    fn one_redis_unless_sentinel_or_cluster_is_configured() {
        assert_eq!(parse(None, None, None), Ok(RedisTopology::Single));
    }

    #[test]
    fn sentinels_and_master_come_together_and_parse_strictly() {
        let Ok(RedisTopology::Sentinel(parsed)) =
            parse(Some("10.0.0.1:26379, sentinel-b:26380,"), Some("orders"), None)
        else {
            panic!("a sentinel topology")
        };
        assert_eq!(parsed.sentinels.0, vec![("10.0.0.1".into(), 26379), ("sentinel-b".into(), 26380)]);
        assert_eq!(parsed.master, "orders");
        assert_eq!(parse(Some("a:1"), None, None), Err("REDIS_SENTINEL_MASTER"));
        assert_eq!(parse(None, Some("m"), None), Err("REDIS_SENTINELS"));
        assert_eq!(parse(Some("a:1"), Some("two words"), None), Err("REDIS_SENTINEL_MASTER"));
        for bad in ["a", "a:x", ":26379", "a:0", " , "] {
            assert_eq!(parse(Some(bad), Some("m"), None), Err("REDIS_SENTINELS"), "{bad}");
        }
    }

    #[test]
    fn cluster_nodes_parse_strictly_and_exclude_sentinel() {
        assert_eq!(
            parse(None, None, Some("[::1]:7000,redis-b:7001")),
            Ok(RedisTopology::Cluster(NodeList(vec![("::1".into(), 7000), ("redis-b".into(), 7001)])))
        );
        for bad in ["", "a", "a:70000", "a:1,b"] {
            assert_eq!(parse(None, None, Some(bad)), Err("REDIS_CLUSTER_NODES"), "{bad}");
        }
        assert_eq!(parse(Some("a:1"), Some("m"), Some("b:2")), Err("REDIS_CLUSTER_NODES"));
    }

    #[test]
    fn cluster_nodes_keep_the_urls_credentials() {
        let nodes = NodeList(vec![("10.0.0.7".into(), 7000)]);
        let infos = nodes.infos("redis://app:s3cret@ignored:6379/0").unwrap();
        assert_eq!(infos[0].addr().to_string(), "10.0.0.7:7000");
        assert_eq!(infos[0].redis_settings().password(), Some("s3cret"));
        assert_eq!(infos[0].redis_settings().username(), Some("app"));
    }
}
