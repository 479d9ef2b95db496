use std::time::Duration;

use ordertrack_shared::config::{self, ConfigError, StoreConfig};

/// The api process's settings, from the environment.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub store: StoreConfig,
    pub host: String,
    /// `PORT`; 0 picks a free port (tests).
    pub port: u16,
    pub workers: usize,
    pub max_body_bytes: usize,
    /// Upper bound on a post-commit enqueue; past it the outbox sweeper takes over.
    pub enqueue_timeout: Duration,
    /// Base of links we put in messages (tracking pages).
    pub public_base_url: String,
    /// Public tracking lookups allowed per client IP per minute.
    pub tracking_rate_per_minute: u32,
    /// Signs links, hashes codes (`APP_SECRET`, shared with the worker).
    pub app_secret: String,
    /// Verifies `X-Twilio-Signature` on SMS status callbacks.
    pub twilio_auth_token: Option<String>,
    pub phone_code_ttl: Duration,
    pub phone_code_cooldown: Duration,
    pub phone_code_max_attempts: i32,
}

impl ApiConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(ApiConfig {
            store: StoreConfig::from_env()?,
            host: config::string("HOST", "127.0.0.1"),
            port: config::parse("PORT", 8080)?,
            workers: config::positive("HTTP_WORKERS", 2)?,
            max_body_bytes: config::positive("MAX_BODY_BYTES", 64 * 1024)?,
            enqueue_timeout: config::millis("ENQUEUE_TIMEOUT_MS", 500)?,
            public_base_url: config::string("PUBLIC_BASE_URL", "http://localhost:8080"),
            tracking_rate_per_minute: config::positive("TRACKING_RATE_PER_MINUTE", 30)?,
            app_secret: config::app_secret()?,
            twilio_auth_token: config::optional("TWILIO_AUTH_TOKEN"),
            phone_code_ttl: config::millis("PHONE_CODE_TTL_MS", 600_000)?,
            phone_code_cooldown: config::millis("PHONE_CODE_COOLDOWN_MS", 60_000)?,
            phone_code_max_attempts: config::positive("PHONE_CODE_MAX_ATTEMPTS", 5)?,
        })
    }
}
