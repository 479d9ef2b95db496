//! SMS through a Twilio-compatible REST API (Messages resource), or the log.

use std::time::Duration;

use serde::Deserialize;

use super::{SendError, SendReceipt};
use crate::config::{self, ConfigError};

#[derive(Clone)]
pub enum SmsConfig {
    Log,
    Twilio {
        base_url: String,
        account_sid: String,
        auth_token: String,
        /// A sender number, or a Messaging Service SID (starts with `MG`).
        from: String,
        /// Where Twilio reports delivery; `None` to skip callbacks.
        status_callback: Option<String>,
        timeout: Duration,
    },
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmsConfig::Log => f.write_str("Log"),
            SmsConfig::Twilio { base_url, account_sid, from, .. } => f
                .debug_struct("Twilio")
                .field("base_url", base_url)
                .field("account_sid", account_sid)
                .field("auth_token", &"<redacted>")
                .field("from", from)
                .finish(),
        }
    }
}

impl SmsConfig {
    /// `SMS_TRANSPORT` = log (default) | twilio, with `TWILIO_*` settings.
    pub fn from_env(public_base_url: &str) -> Result<Self, ConfigError> {
        match config::string("SMS_TRANSPORT", "log").as_str() {
            "log" => Ok(SmsConfig::Log),
            "twilio" => Ok(SmsConfig::Twilio {
                base_url: config::string("TWILIO_BASE_URL", "https://api.twilio.com"),
                account_sid: config::required("TWILIO_ACCOUNT_SID")?,
                auth_token: config::required("TWILIO_AUTH_TOKEN")?,
                from: config::required("TWILIO_FROM")?,
                status_callback: Some(format!("{}/webhooks/twilio/status", public_base_url.trim_end_matches('/'))),
                timeout: config::millis("TWILIO_TIMEOUT_MS", 10_000)?,
            }),
            other => Err(ConfigError::Invalid {
                name: "SMS_TRANSPORT",
                reason: format!("'{other}': expected log or twilio"),
            }),
        }
    }
}

pub struct SmsSender {
    config: SmsConfig,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct MessageResource {
    sid: String,
}

#[derive(Deserialize)]
struct TwilioError {
    code: Option<i64>,
    message: Option<String>,
}

/// Twilio error codes that no retry can fix: invalid or non-mobile number,
/// the recipient replied STOP, the region is not enabled, the body is invalid.
const PERMANENT_TWILIO_CODES: &[i64] = &[21211, 21214, 21408, 21610, 21612, 21614, 21617, 21635];

impl SmsSender {
    pub fn new(config: SmsConfig) -> Result<Self, SendError> {
        let timeout = match &config {
            SmsConfig::Twilio { timeout, .. } => *timeout,
            SmsConfig::Log => Duration::from_secs(10),
        };
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| SendError::Permanent(format!("http client: {e}")))?;
        Ok(SmsSender { config, http })
    }

    pub fn provider(&self) -> &'static str {
        match self.config {
            SmsConfig::Log => "log",
            SmsConfig::Twilio { .. } => "twilio",
        }
    }

    pub async fn send(&self, to: &str, body: &str) -> Result<SendReceipt, SendError> {
        let SmsConfig::Twilio { base_url, account_sid, auth_token, from, status_callback, .. } = &self.config else {
            tracing::info!(to, body, "sms (log transport)");
            return Ok(SendReceipt { provider: "log", provider_message_id: None });
        };
        let url = format!("{}/2010-04-01/Accounts/{account_sid}/Messages.json", base_url.trim_end_matches('/'));
        let mut form = vec![("To", to), ("Body", body)];
        form.push(if from.starts_with("MG") {
            ("MessagingServiceSid", from.as_str())
        } else {
            ("From", from.as_str())
        });
        if let Some(callback) = status_callback {
            form.push(("StatusCallback", callback.as_str()));
        }
        let response = self
            .http
            .post(&url)
            .basic_auth(account_sid, Some(auth_token))
            .form(&form)
            .send()
            .await
            .map_err(|e| SendError::Transient(format!("twilio unreachable: {e}")))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if status.is_success() {
            let message: MessageResource = serde_json::from_str(&text)
                .map_err(|e| SendError::Transient(format!("twilio answered {status} with an unreadable body: {e}")))?;
            return Ok(SendReceipt { provider: "twilio", provider_message_id: Some(message.sid) });
        }
        let error: Option<TwilioError> = serde_json::from_str(&text).ok();
        let code = error.as_ref().and_then(|e| e.code);
        let detail = format!(
            "twilio {status}{}: {}",
            code.map(|c| format!(" (code {c})")).unwrap_or_default(),
            error.and_then(|e| e.message).unwrap_or(text)
        );
        Err(classify(status.as_u16(), code, detail))
    }
}

fn classify(status: u16, code: Option<i64>, detail: String) -> SendError {
    match status {
        429 | 500..=599 => SendError::Transient(detail),
        _ if code.is_some_and(|c| PERMANENT_TWILIO_CODES.contains(&c)) => SendError::Permanent(detail),
        // Bad credentials or a disabled account: a configuration problem
        // that retries cannot fix.
        400..=499 => SendError::Permanent(detail),
        _ => SendError::Transient(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_failures_are_classified() {
        assert!(matches!(classify(400, Some(21211), "x".into()), SendError::Permanent(_)));
        assert!(matches!(classify(400, Some(21610), "x".into()), SendError::Permanent(_)));
        assert!(matches!(classify(401, None, "x".into()), SendError::Permanent(_)));
        assert!(matches!(classify(429, Some(20429), "x".into()), SendError::Transient(_)));
        assert!(matches!(classify(503, None, "x".into()), SendError::Transient(_)));
    }
}
