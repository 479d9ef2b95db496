//! Outgoing delivery channels (inbound provider callbacks are verified in
//! `crate::webhooks`). Each returns a provider receipt or says whether the
//! failure is worth retrying.

pub mod email;
pub mod fcm_errors;
pub mod push;
pub mod sms;
pub mod sms_segments;

pub use email::{EmailConfig, EmailSender, SmtpTls};

/// Why a send failed, and whether trying again could help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Network trouble, throttling, 4xx SMTP replies, provider 5xx: retry.
    #[error("{0}")]
    Transient(String),
    /// Invalid address, hard bounce, rejected content: never retry.
    #[error("{0}")]
    Permanent(String),
    /// The recipient (a push token) no longer exists: never retry, and stop
    /// using it.
    #[error("{0}")]
    InvalidRecipient(String),
}

/// What the provider told us about an accepted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    pub provider: &'static str,
    pub provider_message_id: Option<String>,
}
