use std::time::Duration;

use ordertrack_shared::config::{self, ConfigError, StoreConfig};
use ordertrack_shared::domain::Carrier;
use ordertrack_shared::webhooks::IpAllowlist;

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
    /// Webhook calls allowed per client IP per minute.
    pub webhook_rate_per_minute: u32,
    /// Authenticated API calls per token per minute.
    pub token_rate_per_minute: u32,
    /// Failed authentications (401 under `/api/v1`) per client IP per minute;
    /// past it the IP gets 429 on `/api/v1` until the minute ends.
    pub auth_failure_rate_per_minute: u32,
    /// One-click unsubscribe page and form (`/u/{token}`) per client IP per minute.
    pub unsubscribe_rate_per_minute: u32,
    /// Open pixel, click links and the rating page per client IP per minute.
    pub message_link_rate_per_minute: u32,
    /// Mail-privacy proxies' addresses (`MACHINE_OPEN_RANGES_FILE`): opens
    /// from them are machine opens.
    pub machine_open_ranges: ordertrack_shared::analytics::machine_opens::ProxyRanges,
    /// Verifies SendGrid's signed event webhook (`SENDGRID_WEBHOOK_PUBLIC_KEY`).
    pub sendgrid_webhook_key: Option<ordertrack_shared::webhooks::sendgrid::SendgridKey>,
    /// `RATE_LIMITS=off` turns every limiter off (benchmarks, trusted networks).
    pub rate_limits_enabled: bool,
    /// Phone-code requests per client IP per minute.
    pub phone_code_rate_per_minute: u32,
    /// Signs links, hashes codes (`APP_SECRET`, shared with the worker).
    pub app_secret: String,
    /// Verifies `X-Twilio-Signature` on SMS status callbacks.
    pub twilio_auth_token: Option<String>,
    pub phone_code_ttl: Duration,
    pub phone_code_cooldown: Duration,
    pub phone_code_max_attempts: i32,
    pub webhooks: WebhookConfig,
    /// Latest date a delivery may be moved to, in days from today.
    pub reschedule_window_days: i64,
    /// Template files (previews and the seeded first versions).
    pub templates_dir: std::path::PathBuf,
    pub stream: StreamConfig,
    /// Session cookies get `Secure` and the `__Host-` prefix: the public
    /// base URL is https.
    pub secure_cookies: bool,
    pub portal: PortalConfig,
    pub staff: StaffConfig,
}

/// The staff console's sign-in.
#[derive(Debug, Clone)]
pub struct StaffConfig {
    /// A console session ends after this long unused...
    pub session_idle: Duration,
    /// ...and after this long in any case.
    pub session_max: Duration,
    /// Admins must have a second factor before they can do anything.
    pub require_totp: bool,
    /// Wrong passwords (or codes) in a row that lock an account...
    pub lockout_after: i32,
    /// ...for this long.
    pub lockout_for: Duration,
    /// Sign-in and set-password attempts per client IP per minute.
    pub sign_in_rate_per_minute: u32,
    /// How long a set-password link stays valid.
    pub password_link_ttl: Duration,
}

impl StaffConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(StaffConfig {
            session_idle: config::millis("STAFF_SESSION_IDLE_MS", 30 * 60_000)?,
            session_max: config::millis("STAFF_SESSION_MAX_MS", 12 * 3_600_000)?,
            require_totp: config::flag("STAFF_REQUIRE_TOTP")?,
            lockout_after: config::positive("STAFF_LOCKOUT_AFTER", 5)?,
            lockout_for: config::millis("STAFF_LOCKOUT_MS", 15 * 60_000)?,
            sign_in_rate_per_minute: config::positive("STAFF_SIGN_IN_RATE_PER_MINUTE", 20)?,
            password_link_ttl: config::millis("STAFF_PASSWORD_LINK_TTL_MS", 72 * 3_600_000)?,
        })
    }
}

/// The shopper's web app sign-in (`/api/v1/portal-sessions`).
#[derive(Debug, Clone)]
pub struct PortalConfig {
    /// How long a link from `POST /portal-sessions` may wait to be opened.
    pub link_ttl: Duration,
    /// A session ends after this long unused...
    pub session_idle: Duration,
    /// ...and after this long in any case.
    pub session_max: Duration,
}

impl PortalConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(PortalConfig {
            link_ttl: config::millis("PORTAL_LINK_TTL_MS", 300_000)?,
            session_idle: config::millis("PORTAL_SESSION_IDLE_MS", 24 * 3_600_000)?,
            session_max: config::millis("PORTAL_SESSION_MAX_MS", 7 * 24 * 3_600_000)?,
        })
    }
}

/// Live updates (SSE and WebSocket).
#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// SSE comment / WebSocket ping interval; a WebSocket silent for three
    /// of these is closed.
    pub heartbeat: Duration,
    /// How often the event tailer looks for events when Redis says nothing.
    pub poll_interval: Duration,
    /// Events the tailer moves out of the inbox between two vacuums of it.
    pub inbox_vacuum_after: i64,
    /// Concurrent streams per token, per client IP, and in all, per replica.
    pub max_per_principal: usize,
    pub max_per_ip: usize,
    pub max_total: usize,
    /// Events queued for one client before it is dropped as too slow.
    pub client_buffer: usize,
    /// Origins a browser WebSocket may come from (default: the public base URL's).
    pub allowed_origins: Vec<String>,
}

impl StreamConfig {
    pub fn from_env(public_base_url: &str) -> Result<Self, ConfigError> {
        let origins = config::string("ALLOWED_ORIGINS", &origin_of(public_base_url));
        Ok(StreamConfig {
            heartbeat: config::millis("SSE_HEARTBEAT_MS", 15_000)?,
            poll_interval: config::millis("STREAM_POLL_MS", 1_000)?,
            inbox_vacuum_after: config::positive("EVENT_INBOX_VACUUM_AFTER", 5_000)? as i64,
            max_per_principal: config::positive("STREAM_MAX_PER_PRINCIPAL", 20)?,
            max_per_ip: config::positive("STREAM_MAX_PER_IP", 1_000)?,
            max_total: config::positive("STREAM_MAX_TOTAL", 15_000)?,
            client_buffer: config::positive("STREAM_CLIENT_BUFFER", 256)?,
            allowed_origins: origins.split(',').map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect(),
        })
    }
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
    url[..end].to_owned()
}

/// How carrier webhooks are authenticated.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub max_body_bytes: usize,
    /// FedEx: the secret of the `fdx-signature` HMAC.
    pub fedex_secret: Option<String>,
    /// UPS Track Alert: the credential sent in the `credential` header.
    pub ups_credential: Option<String>,
    /// DHL: the key sent in the `DHL-API-Key` header.
    pub dhl_api_key: Option<String>,
    /// Our own senders: `Ordertrack-Signature: t=..,v1=..`; several for rotation.
    pub signing_secrets: Vec<String>,
    pub signature_tolerance_secs: i64,
    /// Per carrier: which client IPs may call (empty: any).
    pub allowlists: Vec<(Carrier, IpAllowlist)>,
    /// Peers whose forwarded-for header we believe.
    pub trusted_proxies: IpAllowlist,
}

impl WebhookConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let allowlist = |name: &'static str| {
            IpAllowlist::parse(&config::string(name, "")).map_err(|reason| ConfigError::Invalid { name, reason })
        };
        Ok(WebhookConfig {
            max_body_bytes: config::positive("WEBHOOK_MAX_BODY_BYTES", 256 * 1024)?,
            fedex_secret: config::optional("FEDEX_WEBHOOK_SECRET"),
            ups_credential: config::optional("UPS_WEBHOOK_CREDENTIAL"),
            dhl_api_key: config::optional("DHL_WEBHOOK_API_KEY"),
            signing_secrets: config::optional("WEBHOOK_SIGNING_SECRETS")
                .map(|list| list.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
            signature_tolerance_secs: config::positive("WEBHOOK_SIGNATURE_TOLERANCE_SECS", 300)?,
            allowlists: vec![
                (Carrier::Fedex, allowlist(allowlist_variable(Carrier::Fedex))?),
                (Carrier::Ups, allowlist(allowlist_variable(Carrier::Ups))?),
                (Carrier::Dhl, allowlist(allowlist_variable(Carrier::Dhl))?),
            ],
            trusted_proxies: allowlist("TRUSTED_PROXIES")?,
        })
    }

    /// Whether a webhook of `carrier` can be accepted at all: its own secret
    /// or credential is set, or our timestamped signatures are.
    pub fn accepts(&self, carrier: Carrier) -> bool {
        !self.signing_secrets.is_empty()
            || match carrier {
                Carrier::Fedex => self.fedex_secret.is_some(),
                Carrier::Ups => self.ups_credential.is_some(),
                Carrier::Dhl => self.dhl_api_key.is_some(),
            }
    }

    /// Production's rule: every carrier whose webhooks can be accepted names
    /// the IPs they come from, unless `ALLOW_ANY_WEBHOOK_SOURCE=1` opts out.
    pub fn check_production(&self, allow_any_source: bool) -> Result<(), ConfigError> {
        if allow_any_source {
            return Ok(());
        }
        for (carrier, list) in &self.allowlists {
            if list.is_empty() && self.accepts(*carrier) {
                return Err(ConfigError::Invalid {
                    name: allowlist_variable(*carrier),
                    reason: format!(
                        "is empty, so {carrier} webhooks would be accepted from any IP: production \
                         (APP_ENV=production) needs the carrier's CIDRs, or ALLOW_ANY_WEBHOOK_SOURCE=1"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The variable holding a carrier's webhook IP allowlist.
pub fn allowlist_variable(carrier: Carrier) -> &'static str {
    match carrier {
        Carrier::Fedex => "FEDEX_WEBHOOK_ALLOWED_IPS",
        Carrier::Ups => "UPS_WEBHOOK_ALLOWED_IPS",
        Carrier::Dhl => "DHL_WEBHOOK_ALLOWED_IPS",
    }
}

impl ApiConfig {
    /// Reads the environment. With `APP_ENV=production` it refuses the
    /// development `APP_SECRET` and carriers' webhooks open to any IP
    /// (unless `ALLOW_ANY_WEBHOOK_SOURCE=1`); the error names the variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        let webhooks = WebhookConfig::from_env()?;
        if config::production()? {
            webhooks.check_production(config::flag("ALLOW_ANY_WEBHOOK_SOURCE")?)?;
        }
        Ok(ApiConfig {
            store: StoreConfig::from_env()?,
            host: config::string("HOST", "127.0.0.1"),
            port: config::parse("PORT", 8080)?,
            workers: config::positive("HTTP_WORKERS", 2)?,
            max_body_bytes: config::positive("MAX_BODY_BYTES", 64 * 1024)?,
            enqueue_timeout: config::millis("ENQUEUE_TIMEOUT_MS", 500)?,
            public_base_url: config::string("PUBLIC_BASE_URL", "http://localhost:8080"),
            tracking_rate_per_minute: config::positive("TRACKING_RATE_PER_MINUTE", 30)?,
            webhook_rate_per_minute: config::positive("WEBHOOK_RATE_PER_MINUTE", 6000)?,
            token_rate_per_minute: config::positive("TOKEN_RATE_PER_MINUTE", 600)?,
            auth_failure_rate_per_minute: config::positive("AUTH_FAILURE_RATE_PER_MINUTE", 30)?,
            unsubscribe_rate_per_minute: config::positive("UNSUBSCRIBE_RATE_PER_MINUTE", 30)?,
            message_link_rate_per_minute: config::positive("MESSAGE_LINK_RATE_PER_MINUTE", 120)?,
            machine_open_ranges: match config::optional("MACHINE_OPEN_RANGES_FILE") {
                None => Default::default(),
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|e| format!("{path}: {e}"))
                    .and_then(|text| ordertrack_shared::analytics::machine_opens::ProxyRanges::parse(&text))
                    .map_err(|reason| ConfigError::Invalid { name: "MACHINE_OPEN_RANGES_FILE", reason })?,
            },
            sendgrid_webhook_key: config::optional("SENDGRID_WEBHOOK_PUBLIC_KEY")
                .map(|key| ordertrack_shared::webhooks::sendgrid::SendgridKey::parse(&key))
                .transpose()
                .map_err(|reason| ConfigError::Invalid { name: "SENDGRID_WEBHOOK_PUBLIC_KEY", reason })?,
            rate_limits_enabled: match config::string("RATE_LIMITS", "on").as_str() {
                "on" => true,
                "off" => false,
                other => {
                    return Err(ConfigError::Invalid {
                        name: "RATE_LIMITS",
                        reason: format!("'{other}': expected on or off"),
                    })
                }
            },
            phone_code_rate_per_minute: config::positive("PHONE_CODE_RATE_PER_MINUTE", 10)?,
            app_secret: config::app_secret()?,
            twilio_auth_token: config::optional("TWILIO_AUTH_TOKEN"),
            phone_code_ttl: config::millis("PHONE_CODE_TTL_MS", 600_000)?,
            phone_code_cooldown: config::millis("PHONE_CODE_COOLDOWN_MS", 60_000)?,
            phone_code_max_attempts: config::positive("PHONE_CODE_MAX_ATTEMPTS", 5)?,
            webhooks,
            reschedule_window_days: config::positive("RESCHEDULE_WINDOW_DAYS", 14)?,
            templates_dir: config::string("TEMPLATES_DIR", ordertrack_shared::templates::DEFAULT_TEMPLATES_DIR).into(),
            stream: StreamConfig::from_env(&config::string("PUBLIC_BASE_URL", "http://localhost:8080"))?,
            secure_cookies: config::string("PUBLIC_BASE_URL", "http://localhost:8080").starts_with("https://"),
            portal: PortalConfig::from_env()?,
            staff: StaffConfig::from_env()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn webhooks(fedex_secret: Option<&str>, signing: bool, fedex_ips: &str) -> WebhookConfig {
        WebhookConfig {
            max_body_bytes: 1024,
            fedex_secret: fedex_secret.map(str::to_owned),
            ups_credential: None,
            dhl_api_key: None,
            signing_secrets: if signing { vec!["s".into()] } else { Vec::new() },
            signature_tolerance_secs: 300,
            allowlists: vec![
                (Carrier::Fedex, IpAllowlist::parse(fedex_ips).unwrap()),
                (Carrier::Ups, IpAllowlist::parse("").unwrap()),
                (Carrier::Dhl, IpAllowlist::parse("").unwrap()),
            ],
            trusted_proxies: IpAllowlist::parse("").unwrap(),
        }
    }

    #[test]
    fn production_refuses_webhooks_open_to_any_ip_and_names_the_variable() {
        // FedEx is configured but open to anyone.
        let err = webhooks(Some("x"), false, "").check_production(false).unwrap_err().to_string();
        assert!(err.contains("FEDEX_WEBHOOK_ALLOWED_IPS") && err.contains("ALLOW_ANY_WEBHOOK_SOURCE"), "{err}");
        // Opted out, or FedEx restricted (UPS and DHL take no webhooks at all): fine.
        webhooks(Some("x"), false, "").check_production(true).unwrap();
        webhooks(Some("x"), false, "203.0.113.0/24").check_production(false).unwrap();
        webhooks(None, false, "").check_production(false).unwrap();
        // Our own signatures open every carrier's endpoint: each needs a list.
        let err = webhooks(None, true, "203.0.113.0/24").check_production(false).unwrap_err().to_string();
        assert!(err.contains("UPS_WEBHOOK_ALLOWED_IPS"), "{err}");
    }
}
