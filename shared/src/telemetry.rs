//! Logging: human-readable by default, JSON when `LOG_FORMAT=json`.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(default_filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // A second init (tests start several processes in one) is harmless.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
