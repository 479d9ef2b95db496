//! Every inbound authenticity check, in one place: carrier webhooks (FedEx's
//! HMAC, UPS's credential, DHL's API key, our own timestamped HMAC), Twilio's
//! status callbacks, SendGrid's ECDSA-signed events, and source-address
//! allowlists. Each check works on the raw request bytes and compares in
//! constant time.

pub mod allowlist;
pub mod carriers;
pub mod sendgrid;
pub mod twilio;

pub use allowlist::IpAllowlist;
