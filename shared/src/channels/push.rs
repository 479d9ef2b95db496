//! Push notifications through FCM HTTP v1 with a service-account OAuth2
//! token (RS256 JWT bearer grant), or the log.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::fcm_errors::{classify, FcmFailure};
use super::{SendError, SendReceipt};
use crate::config::{self, ConfigError};

#[derive(Debug, Clone)]
pub enum PushConfig {
    Log,
    Fcm {
        base_url: String,
        project_id: String,
        /// Path of the Google service-account JSON key.
        service_account_file: PathBuf,
        timeout: Duration,
    },
}

impl PushConfig {
    /// `PUSH_TRANSPORT` = log (default) | fcm, with `FCM_*` settings.
    pub fn from_env() -> Result<Self, ConfigError> {
        match config::string("PUSH_TRANSPORT", "log").as_str() {
            "log" => Ok(PushConfig::Log),
            "fcm" => Ok(PushConfig::Fcm {
                base_url: config::string("FCM_BASE_URL", "https://fcm.googleapis.com"),
                project_id: config::required("FCM_PROJECT_ID")?,
                service_account_file: config::required("FCM_SERVICE_ACCOUNT_FILE")?.into(),
                timeout: config::millis("FCM_TIMEOUT_MS", 10_000)?,
            }),
            other => {
                Err(ConfigError::Invalid { name: "PUSH_TRANSPORT", reason: format!("'{other}': expected log or fcm") })
            }
        }
    }
}

/// The fields of a service-account key we use.
#[derive(Clone, Deserialize)]
struct ServiceAccount {
    client_email: String,
    private_key: String,
    #[serde(default = "default_token_uri")]
    token_uri: String,
}

fn default_token_uri() -> String {
    "https://oauth2.googleapis.com/token".into()
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

#[derive(Deserialize)]
struct SendResponse {
    name: String,
}

/// What a push says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    /// Extra key/values for the app (order number, event).
    pub data: Vec<(String, String)>,
    /// The notification's id: FCM has no idempotency key, but a message sent
    /// twice with the same collapse key (Android), `apns-collapse-id` (iOS)
    /// and `Topic` (web push) shows once on the device.
    pub collapse_id: uuid::Uuid,
}

struct Fcm {
    base_url: String,
    project_id: String,
    account: ServiceAccount,
    key: jsonwebtoken::EncodingKey,
    token: Mutex<Option<(String, Instant)>>,
}

pub struct PushSender {
    fcm: Option<Fcm>,
    http: reqwest::Client,
}

const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// Why the push sender could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PushSetupError {
    #[error("cannot read the FCM service-account file {path}: {source}")]
    ReadKey { path: String, source: std::io::Error },
    #[error("invalid FCM service-account file: {0}")]
    ServiceAccount(#[from] serde_json::Error),
    #[error("invalid FCM service-account private key: {0}")]
    PrivateKey(#[from] jsonwebtoken::errors::Error),
    #[error("push http client: {0}")]
    Http(#[from] reqwest::Error),
}

impl PushSender {
    pub fn new(config: &PushConfig) -> Result<Self, PushSetupError> {
        let (fcm, timeout) = match config {
            PushConfig::Log => (None, Duration::from_secs(10)),
            PushConfig::Fcm { base_url, project_id, service_account_file, timeout } => {
                let raw = std::fs::read_to_string(service_account_file).map_err(|source| PushSetupError::ReadKey {
                    path: service_account_file.display().to_string(),
                    source,
                })?;
                let account: ServiceAccount = serde_json::from_str(&raw)?;
                let key = jsonwebtoken::EncodingKey::from_rsa_pem(account.private_key.as_bytes())?;
                let fcm = Fcm {
                    base_url: base_url.trim_end_matches('/').to_owned(),
                    project_id: project_id.clone(),
                    account,
                    key,
                    token: Mutex::new(None),
                };
                (Some(fcm), *timeout)
            }
        };
        let http = reqwest::Client::builder().timeout(timeout).build()?;
        Ok(PushSender { fcm, http })
    }

    pub fn provider(&self) -> &'static str {
        if self.fcm.is_some() {
            "fcm"
        } else {
            "log"
        }
    }

    /// A cached OAuth2 access token, refreshed a minute before it expires.
    async fn access_token(&self, fcm: &Fcm) -> Result<String, SendError> {
        let mut cached = fcm.token.lock().await;
        if let Some((token, expires)) = cached.as_ref() {
            if Instant::now() + Duration::from_secs(60) < *expires {
                return Ok(token.clone());
            }
        }
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: &fcm.account.client_email,
            scope: SCOPE,
            aud: &fcm.account.token_uri,
            iat: now,
            exp: now + 3600,
        };
        let assertion =
            jsonwebtoken::encode(&jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256), &claims, &fcm.key)
                .map_err(|e| SendError::Permanent(format!("cannot sign the OAuth assertion: {e}")))?;
        let response = self
            .http
            .post(&fcm.account.token_uri)
            .form(&[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion.as_str())])
            .send()
            .await
            .map_err(|e| SendError::Transient(format!("oauth token endpoint unreachable: {e}")))?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            let detail = format!("oauth token request failed ({status}): {body}");
            return Err(if status.is_server_error() || status.as_u16() == 429 {
                SendError::Transient(detail)
            } else {
                SendError::Permanent(detail)
            });
        }
        let token: TokenResponse =
            response.json().await.map_err(|e| SendError::Transient(format!("unreadable oauth token: {e}")))?;
        *cached = Some((token.access_token.clone(), Instant::now() + Duration::from_secs(token.expires_in)));
        Ok(token.access_token)
    }

    pub async fn send(&self, device_token: &str, message: &PushMessage) -> Result<SendReceipt, SendError> {
        let Some(fcm) = &self.fcm else {
            tracing::info!(title = %message.title, body = %message.body, "push (log transport)");
            return Ok(SendReceipt { provider: "log", provider_message_id: None });
        };
        let access_token = self.access_token(fcm).await?;
        let data: serde_json::Map<String, serde_json::Value> =
            message.data.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
        let body = serde_json::json!({
            "message": {
                "token": device_token,
                "notification": {"title": message.title, "body": message.body},
                "data": data,
                "android": {"collapse_key": message.collapse_id.to_string()},
                "apns": {"headers": {"apns-collapse-id": message.collapse_id.to_string()}},
                // Web push topics: at most 32 URL-safe characters.
                "webpush": {"headers": {"Topic": message.collapse_id.simple().to_string()}},
            }
        });
        let url = format!("{}/v1/projects/{}/messages:send", fcm.base_url, fcm.project_id);
        let response = self
            .http
            .post(&url)
            .bearer_auth(&access_token)
            .json(&body)
            .send()
            .await
            .map_err(|e| SendError::Transient(format!("fcm unreachable: {e}")))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .map(Duration::from_secs);
        let text = response.text().await.unwrap_or_default();
        if status.is_success() {
            let sent: SendResponse = serde_json::from_str(&text)
                .map_err(|e| SendError::Transient(format!("fcm answered {status} with an unreadable body: {e}")))?;
            return Ok(SendReceipt { provider: "fcm", provider_message_id: Some(sent.name) });
        }
        if status.as_u16() == 401 {
            // The cached token may have been revoked: fetch a new one next time.
            *fcm.token.lock().await = None;
        }
        Err(match classify(status.as_u16(), &text, retry_after) {
            FcmFailure::InvalidToken(reason) => SendError::InvalidRecipient(reason),
            FcmFailure::Retry { reason, .. } => SendError::Transient(reason),
            FcmFailure::Permanent(reason) => SendError::Permanent(reason),
        })
    }
}
