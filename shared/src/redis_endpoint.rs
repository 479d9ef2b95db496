//! Where Redis is: one address (`REDIS_URL`, the default), or the master that
//! Redis Sentinel names (`REDIS_SENTINELS` + `REDIS_SENTINEL_MASTER`), which
//! moves on a failover. Only `Enqueuer` (`jobs/enqueue.rs`) connects through
//! this; it asks again whenever it reconnects, and drops its connection when
//! the master it holds stops being one.

use std::sync::Arc;

use redis::sentinel::{SentinelClient, SentinelNodeConnectionInfo, SentinelServerType};
use redis::{ConnectionAddr, IntoConnectionInfo, RedisResult};
use tokio::sync::Mutex;

/// `REDIS_SENTINELS` (`host:port,host:port,...`) and `REDIS_SENTINEL_MASTER`
/// (the name the sentinels monitor the master under).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentinelConfig {
    pub sentinels: Vec<(String, u16)>,
    pub master: String,
}

impl SentinelConfig {
    /// Both or neither: one without the other is a configuration mistake.
    pub fn parse(sentinels: Option<&str>, master: Option<&str>) -> Result<Option<SentinelConfig>, String> {
        let (sentinels, master) = match (sentinels, master) {
            (None, None) => return Ok(None),
            (Some(_), None) => return Err("REDIS_SENTINELS is set but REDIS_SENTINEL_MASTER is not".into()),
            (None, Some(_)) => return Err("REDIS_SENTINEL_MASTER is set but REDIS_SENTINELS is not".into()),
            (Some(sentinels), Some(master)) => (sentinels, master.trim()),
        };
        if master.contains(char::is_whitespace) {
            return Err(format!("REDIS_SENTINEL_MASTER '{master}' must not contain spaces"));
        }
        let sentinels = sentinels
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
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| format!("REDIS_SENTINELS {e}"))?;
        if sentinels.is_empty() {
            return Err("REDIS_SENTINELS lists no sentinel".into());
        }
        Ok(Some(SentinelConfig { sentinels, master: master.to_owned() }))
    }
}

/// How to reach the current Redis master.
#[derive(Clone)]
pub enum RedisEndpoint {
    /// `REDIS_URL`, always the same server.
    Url(redis::Client),
    /// Asked of the sentinels at every (re)connect. The URL's username,
    /// password and database still apply to the master; its host is ignored.
    Sentinel(Arc<Mutex<SentinelClient>>),
}

impl RedisEndpoint {
    pub fn new(url: &str, sentinel: Option<&SentinelConfig>) -> RedisResult<RedisEndpoint> {
        let Some(sentinel) = sentinel else {
            return Ok(RedisEndpoint::Url(redis::Client::open(url)?));
        };
        let settings = url.into_connection_info()?.redis_settings().clone();
        let node = SentinelNodeConnectionInfo::default().set_redis_connection_info(settings);
        let sentinels = sentinel
            .sentinels
            .iter()
            .map(|(host, port)| ConnectionAddr::Tcp(host.clone(), *port).into_connection_info())
            .collect::<RedisResult<Vec<_>>>()?;
        let client = SentinelClient::build(sentinels, sentinel.master.clone(), Some(node), SentinelServerType::Master)?;
        Ok(RedisEndpoint::Sentinel(Arc::new(Mutex::new(client))))
    }

    pub fn is_sentinel(&self) -> bool {
        matches!(self, RedisEndpoint::Sentinel(_))
    }

    /// A client for the master as of now. Through Sentinel: the first
    /// sentinel that names a master that is not down and that answers `ROLE`
    /// as a master; an error while the sentinels have not agreed on one yet.
    pub async fn client(&self) -> RedisResult<redis::Client> {
        match self {
            RedisEndpoint::Url(client) => Ok(client.clone()),
            RedisEndpoint::Sentinel(sentinel) => sentinel.lock().await.async_get_client().await,
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

    #[test]
    fn sentinels_and_master_come_together_and_parse_strictly() {
        assert_eq!(SentinelConfig::parse(None, None), Ok(None));
        let parsed = SentinelConfig::parse(Some("10.0.0.1:26379, sentinel-b:26380,"), Some("orders")).unwrap().unwrap();
        assert_eq!(parsed.sentinels, vec![("10.0.0.1".into(), 26379), ("sentinel-b".into(), 26380)]);
        assert_eq!(parsed.master, "orders");
        assert!(SentinelConfig::parse(Some("a:1"), None).unwrap_err().contains("REDIS_SENTINEL_MASTER"));
        assert!(SentinelConfig::parse(None, Some("m")).unwrap_err().contains("REDIS_SENTINELS"));
        for bad in ["a", "a:x", ":26379", "a:0", " , "] {
            assert!(SentinelConfig::parse(Some(bad), Some("m")).is_err(), "{bad}");
        }
    }
}
