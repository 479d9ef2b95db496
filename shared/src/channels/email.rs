//! Email through lettre: SMTP (any relay), a folder of `.eml` files (the local
//! default), or the log.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, FileTransport, Message, Tokio1Executor};

use super::{SendError, SendReceipt};
use crate::config::{self, ConfigError};
use crate::templates::RenderedEmail;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same host or a test sink.
    None,
    /// Upgrade with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Clone)]
pub enum EmailConfig {
    Smtp {
        host: String,
        port: u16,
        tls: SmtpTls,
        username: Option<String>,
        password: Option<String>,
        timeout: Duration,
        from: String,
    },
    File {
        dir: PathBuf,
        from: String,
    },
    Log {
        from: String,
    },
}

impl std::fmt::Debug for EmailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmailConfig::Smtp { host, port, tls, username, .. } => f
                .debug_struct("Smtp")
                .field("host", host)
                .field("port", port)
                .field("tls", tls)
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            EmailConfig::File { dir, .. } => f.debug_struct("File").field("dir", dir).finish(),
            EmailConfig::Log { .. } => f.write_str("Log"),
        }
    }
}

impl EmailConfig {
    /// `EMAIL_TRANSPORT` = file (default) | smtp | log, and the settings each needs.
    pub fn from_env() -> Result<Self, ConfigError> {
        let from = config::string("EMAIL_FROM", "ordertrack <no-reply@ordertrack.localhost>");
        from.parse::<Mailbox>().map_err(|e| ConfigError::Invalid { name: "EMAIL_FROM", reason: e.to_string() })?;
        match config::string("EMAIL_TRANSPORT", "file").as_str() {
            "file" => Ok(EmailConfig::File { dir: config::string("EMAIL_FILE_DIR", "var/mail").into(), from }),
            "log" => Ok(EmailConfig::Log { from }),
            "smtp" => {
                let tls = match config::string("SMTP_TLS", "starttls").as_str() {
                    "none" => SmtpTls::None,
                    "starttls" => SmtpTls::StartTls,
                    "tls" => SmtpTls::Tls,
                    other => {
                        return Err(ConfigError::Invalid {
                            name: "SMTP_TLS",
                            reason: format!("'{other}': expected none, starttls or tls"),
                        })
                    }
                };
                let default_port = match tls {
                    SmtpTls::None => 25,
                    SmtpTls::StartTls => 587,
                    SmtpTls::Tls => 465,
                };
                Ok(EmailConfig::Smtp {
                    host: config::required("SMTP_HOST")?,
                    port: config::parse("SMTP_PORT", default_port)?,
                    tls,
                    username: config::optional("SMTP_USERNAME"),
                    password: config::optional("SMTP_PASSWORD"),
                    timeout: config::millis("SMTP_TIMEOUT_MS", 10_000)?,
                    from,
                })
            }
            other => Err(ConfigError::Invalid {
                name: "EMAIL_TRANSPORT",
                reason: format!("'{other}': expected file, smtp or log"),
            }),
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(FileTransport),
    Log,
}

pub struct EmailSender {
    transport: Transport,
    from: Mailbox,
    /// The domain of our Message-IDs.
    id_domain: String,
}

/// Extra headers on one message (e.g. List-Unsubscribe).
pub type ExtraHeaders = Vec<(&'static str, String)>;

impl EmailSender {
    pub fn new(config: &EmailConfig) -> Result<Self, SendError> {
        let (transport, from) = match config {
            EmailConfig::Smtp { host, port, tls, username, password, timeout, from } => {
                let builder = match tls {
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                        .map_err(|e| SendError::Permanent(e.to_string()))?,
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                        .map_err(|e| SendError::Permanent(e.to_string()))?,
                };
                let mut builder = builder.port(*port).timeout(Some(*timeout));
                if let (Some(user), Some(pass)) = (username, password) {
                    builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
                }
                (Transport::Smtp(builder.build()), from)
            }
            EmailConfig::File { dir, from } => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| SendError::Permanent(format!("cannot create {}: {e}", dir.display())))?;
                (Transport::File(FileTransport::new(dir)), from)
            }
            EmailConfig::Log { from } => (Transport::Log, from),
        };
        let from: Mailbox =
            from.parse().map_err(|e: lettre::address::AddressError| SendError::Permanent(e.to_string()))?;
        let id_domain = from.email.domain().to_owned();
        Ok(EmailSender { transport, from, id_domain })
    }

    pub fn provider(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
            Transport::Log => "log",
        }
    }

    /// Sends a multipart text + HTML message whose Message-ID is derived from
    /// `message_key`, so the provider id is known before sending.
    pub async fn send(
        &self,
        to: &str,
        message_key: &str,
        email: &RenderedEmail,
        headers: ExtraHeaders,
    ) -> Result<SendReceipt, SendError> {
        let to: Mailbox = to.parse().map_err(|e| SendError::Permanent(format!("invalid recipient address: {e}")))?;
        let message_id = format!("<{message_key}@{}>", self.id_domain);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(message_id.clone()));
        for (name, value) in headers {
            builder = builder.raw_header(HeaderValue::new(HeaderName::new_from_ascii_str(name), value));
        }
        let message = builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.text.clone()))
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(email.html.clone())),
            )
            .map_err(|e| SendError::Permanent(format!("cannot build message: {e}")))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(classify_smtp_error)?,
            // Written on the runtime's thread: a few kilobytes into the page
            // cache take microseconds, where the async transport's hop to
            // the blocking pool (a thread and two wake-ups per email) cost
            // the worker a quarter of its CPU per send (bench/results.md).
            Transport::File(file) => lettre::Transport::send(file, &message)
                .map(|_| ())
                .map_err(|e| SendError::Transient(format!("file sink: {e}")))?,
            Transport::Log => {
                tracing::info!(to = %message.envelope().to().iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
                    subject = %email.subject, "email (log transport)");
            }
        }
        Ok(SendReceipt { provider: self.provider(), provider_message_id: Some(message_id) })
    }
}

/// 5xx replies are final (unknown mailbox, rejected content); 4xx replies and
/// connection trouble are worth another try.
fn classify_smtp_error(e: lettre::transport::smtp::Error) -> SendError {
    if e.is_permanent() {
        SendError::Permanent(format!("smtp: {e}"))
    } else {
        SendError::Transient(format!("smtp: {e}"))
    }
}
