//! The document's security schemes and shared error answers, added to its
//! components. Routes name the schemes they accept in `security(…)`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::Modify;

use super::responses;

pub struct Components;

impl Modify for Components {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        let keys = [
            // Browsers cannot set headers on EventSource/WebSocket (`streams/access.rs`).
            ("stream_ticket", ApiKey::Query(ApiKeyValue::with_description("ticket", "Single-use stream ticket"))),
            // The staff console (`session.rs`): `__Host-ordertrack_staff` on https.
            (
                "staff_cookie",
                ApiKey::Cookie(ApiKeyValue::with_description(
                    "ordertrack_staff",
                    "Console session; writes also need Origin and X-CSRF-Token",
                )),
            ),
            // The shopper's web app (`session.rs`): `__Host-ordertrack_session` on https.
            (
                "session_cookie",
                ApiKey::Cookie(ApiKeyValue::with_description(
                    "ordertrack_session",
                    "Web app session; writes also need Origin and X-CSRF-Token",
                )),
            ),
            // Carrier webhooks: the carrier's own check, or our timestamped signature.
            ("fedex_signature", ApiKey::Header(ApiKeyValue::with_description("fdx-signature", "FedEx HMAC"))),
            ("ups_credential", ApiKey::Header(ApiKeyValue::with_description("credential", "UPS Track Alert"))),
            ("dhl_api_key", ApiKey::Header(ApiKeyValue::with_description("DHL-API-Key", "DHL push key"))),
            (
                "ordertrack_signature",
                ApiKey::Header(ApiKeyValue::with_description("Ordertrack-Signature", "t=..,v1=.. HMAC of the body")),
            ),
            ("twilio_signature", ApiKey::Header(ApiKeyValue::with_description("X-Twilio-Signature", "Twilio"))),
            (
                "sendgrid_signature",
                ApiKey::Header(ApiKeyValue::with_description(
                    "X-Twilio-Email-Event-Webhook-Signature",
                    "SendGrid: ECDSA P-256 over X-Twilio-Email-Event-Webhook-Timestamp and the body",
                )),
            ),
        ];
        for (name, key) in keys {
            components.add_security_scheme(name, SecurityScheme::ApiKey(key));
        }
        components.responses.extend(responses::components().map(|(name, response)| (name, response.into())));
    }
}
