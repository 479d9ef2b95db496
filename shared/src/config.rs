//! Reading typed configuration from the environment (and `.env` in development).
//! Each binary owns one config struct built with these helpers; a bad value
//! stops the process at start with a message naming the variable.

use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {name} is required")]
    Missing { name: &'static str },
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Loads `.env` from the working directory if there is one. Real environment
/// variables win over the file.
pub fn load_dotenv() {
    let _ = dotenvy::dotenv();
}

fn raw(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A string with a default.
pub fn string(name: &'static str, default: &str) -> String {
    raw(name).unwrap_or_else(|| default.to_owned())
}

/// A string that may be absent.
pub fn optional(name: &'static str) -> Option<String> {
    raw(name)
}

/// A string that must be present.
pub fn required(name: &'static str) -> Result<String, ConfigError> {
    raw(name).ok_or(ConfigError::Missing { name })
}

/// A parsed value with a default.
pub fn parse<T>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match raw(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e: T::Err| ConfigError::Invalid { name, reason: format!("'{v}': {e}") }),
    }
}

/// A duration in milliseconds with a default.
pub fn millis(name: &'static str, default_ms: u64) -> Result<Duration, ConfigError> {
    parse(name, default_ms).map(Duration::from_millis)
}

/// A value that must be positive.
pub fn positive<T>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: FromStr + PartialOrd + Default + Copy,
    T::Err: std::fmt::Display,
{
    let value = parse(name, default)?;
    if value > T::default() {
        Ok(value)
    } else {
        Err(ConfigError::Invalid { name, reason: "must be greater than zero".into() })
    }
}

/// A yes/no switch: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`;
/// unset is no.
pub fn flag(name: &'static str) -> Result<bool, ConfigError> {
    match raw(name).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("0" | "false" | "no" | "off") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some(other) => Err(ConfigError::Invalid { name, reason: format!("'{other}': expected 1 or 0") }),
    }
}

/// `APP_ENV`: `development` (default) or `production`. In production the
/// processes refuse to start with development defaults that are unsafe on
/// the internet (see [`check_app_secret`] and the api's webhook allowlists).
pub fn production() -> Result<bool, ConfigError> {
    match string("APP_ENV", "development").as_str() {
        "production" => Ok(true),
        "development" => Ok(false),
        other => Err(ConfigError::Invalid {
            name: "APP_ENV",
            reason: format!("'{other}': expected development or production"),
        }),
    }
}

/// `APP_SECRET`: signs links and hashes one-time codes. Defaults to a
/// development value (with a warning) so the local run needs no setup;
/// production (`APP_ENV=production`) refuses to start without its own.
pub fn app_secret() -> Result<String, ConfigError> {
    check_app_secret(optional("APP_SECRET"), production()?)
}

/// The rules for `APP_SECRET`, given its value and whether this is production.
pub fn check_app_secret(value: Option<String>, production: bool) -> Result<String, ConfigError> {
    const DEV: &str = crate::links::DEV_SECRET;
    match value {
        Some(secret) if production && secret == DEV => Err(ConfigError::Invalid {
            name: "APP_SECRET",
            reason: "is the development secret, which production (APP_ENV=production) refuses".into(),
        }),
        Some(secret) if secret.len() < 32 => {
            Err(ConfigError::Invalid { name: "APP_SECRET", reason: "must be at least 32 characters".into() })
        }
        Some(secret) => Ok(secret),
        None if production => Err(ConfigError::Invalid {
            name: "APP_SECRET",
            reason: "must be set in production (APP_ENV=production): the development secret is refused".into(),
        }),
        None => {
            tracing::warn!("APP_SECRET is not set: using the development secret");
            Ok(DEV.to_owned())
        }
    }
}

/// Settings every process shares: where the data lives.
#[derive(Clone)]
pub struct StoreConfig {
    pub database_url: String,
    pub database_pool_size: usize,
    pub redis_url: String,
    /// One Redis (the default), Sentinel (`REDIS_SENTINELS` +
    /// `REDIS_SENTINEL_MASTER`) or Cluster (`REDIS_CLUSTER_NODES`); with
    /// either, `REDIS_URL` only lends its credentials (and database).
    pub redis_topology: crate::redis_endpoint::RedisTopology,
    /// Prefix for every Redis key and queue, so several deployments (or tests)
    /// can share one Redis.
    pub redis_namespace: String,
    /// The longest a cached template, workflow or preferences entry is kept
    /// (`CACHE_TTL_MS`): the bound on staleness if an invalidation is lost.
    pub cache_ttl: Duration,
    /// How often the operators' gauges (queue depths, outbox, dead letters,
    /// roll-up lag) are read from the stores (`OPS_METRICS_INTERVAL_MS`).
    pub ops_metrics_interval: Duration,
}

pub const DEFAULT_DATABASE_URL: &str = "postgres://ordertrack:ordertrack@127.0.0.1:5432/ordertrack";
pub const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

impl StoreConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let database_url = string("DATABASE_URL", DEFAULT_DATABASE_URL);
        if !database_url.starts_with("postgres://") && !database_url.starts_with("postgresql://") {
            return Err(ConfigError::Invalid { name: "DATABASE_URL", reason: "must start with postgres://".into() });
        }
        let redis_url = string("REDIS_URL", DEFAULT_REDIS_URL);
        if !redis_url.starts_with("redis://") && !redis_url.starts_with("rediss://") {
            return Err(ConfigError::Invalid { name: "REDIS_URL", reason: "must start with redis://".into() });
        }
        let redis_topology = crate::redis_endpoint::RedisTopology::parse(
            optional("REDIS_SENTINELS").as_deref(),
            optional("REDIS_SENTINEL_MASTER").as_deref(),
            optional("REDIS_CLUSTER_NODES").as_deref(),
        )
        .map_err(|(name, reason)| ConfigError::Invalid { name, reason })?;
        let redis_namespace = string("REDIS_NAMESPACE", "ordertrack");
        if redis_namespace.contains(char::is_whitespace) {
            return Err(ConfigError::Invalid { name: "REDIS_NAMESPACE", reason: "must not contain spaces".into() });
        }
        Ok(StoreConfig {
            database_url,
            database_pool_size: positive("DATABASE_POOL_SIZE", 16)?,
            cache_ttl: millis("CACHE_TTL_MS", 60_000)?,
            ops_metrics_interval: millis("OPS_METRICS_INTERVAL_MS", 15_000)?,
            redis_url,
            redis_topology,
            redis_namespace,
        })
    }
}

// Connection strings carry passwords: never print them.
impl std::fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreConfig")
            .field("database_url", &"<redacted>")
            .field("database_pool_size", &self.database_pool_size)
            .field("redis_url", &"<redacted>")
            .field("redis_topology", &self.redis_topology)
            .field("redis_namespace", &self.redis_namespace)
            .field("cache_ttl", &self.cache_ttl)
            .field("ops_metrics_interval", &self.ops_metrics_interval)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each test uses its own variable names: the environment is process-wide.
    #[test]
    fn values_parse_with_defaults_and_bad_ones_name_the_variable() {
        std::env::set_var("OT_TEST_PORT_OK", "9000");
        std::env::set_var("OT_TEST_PORT_BAD", "ninety");
        std::env::set_var("OT_TEST_ZERO", "0");
        assert_eq!(parse::<u16>("OT_TEST_PORT_OK", 1).unwrap(), 9000);
        assert_eq!(parse::<u16>("OT_TEST_PORT_UNSET", 8080).unwrap(), 8080);
        let err = parse::<u16>("OT_TEST_PORT_BAD", 1).unwrap_err().to_string();
        assert!(err.contains("OT_TEST_PORT_BAD") && err.contains("ninety"), "{err}");
        let err = positive::<usize>("OT_TEST_ZERO", 4).unwrap_err().to_string();
        assert!(err.contains("OT_TEST_ZERO") && err.contains("greater than zero"), "{err}");
        assert!(required("OT_TEST_REQUIRED_UNSET").unwrap_err().to_string().contains("OT_TEST_REQUIRED_UNSET"));
    }

    #[test]
    fn production_refuses_the_development_secret_and_names_the_variable() {
        let dev = crate::links::DEV_SECRET.to_owned();
        let own = "a-production-secret-that-is-long-enough-42".to_owned();
        // Development: the default is used (with a warning), an explicit one kept.
        assert_eq!(check_app_secret(None, false).unwrap(), dev);
        assert_eq!(check_app_secret(Some(dev.clone()), false).unwrap(), dev);
        assert_eq!(check_app_secret(Some(own.clone()), false).unwrap(), own);
        // Production: only a secret of its own.
        for refused in [None, Some(dev)] {
            let err = check_app_secret(refused, true).unwrap_err().to_string();
            assert!(err.contains("APP_SECRET") && err.contains("APP_ENV=production"), "{err}");
        }
        assert_eq!(check_app_secret(Some(own.clone()), true).unwrap(), own);
        // Too short, in either mode.
        for production in [false, true] {
            assert!(check_app_secret(Some("short".into()), production).unwrap_err().to_string().contains("APP_SECRET"));
        }
    }

    #[test]
    fn app_env_and_flags_are_strict() {
        std::env::set_var("OT_TEST_FLAG_ON", "1");
        std::env::set_var("OT_TEST_FLAG_OFF", "false");
        std::env::set_var("OT_TEST_FLAG_BAD", "maybe");
        assert!(flag("OT_TEST_FLAG_ON").unwrap());
        assert!(!flag("OT_TEST_FLAG_OFF").unwrap());
        assert!(!flag("OT_TEST_FLAG_UNSET").unwrap());
        assert!(flag("OT_TEST_FLAG_BAD").unwrap_err().to_string().contains("OT_TEST_FLAG_BAD"));
    }

    #[test]
    fn store_config_never_prints_secrets() {
        let config = StoreConfig {
            database_url: "postgres://u:hunter2@db/x".into(),
            database_pool_size: 1,
            redis_url: "redis://:hunter2@r".into(),
            redis_topology: Default::default(),
            redis_namespace: "n".into(),
            cache_ttl: Duration::from_secs(1),
            ops_metrics_interval: Duration::from_secs(1),
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
