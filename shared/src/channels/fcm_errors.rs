//! What to do about a failed FCM HTTP v1 `projects/{id}/messages:send` call.
//!
//! Three different reactions are needed: a dead device token must be deleted
//! (retrying it forever wastes quota and Google may throttle senders that keep
//! doing it), a throttled or overloaded FCM must be retried later, and a bad
//! request or broken credentials will fail the same way every time.
//!
//! Google's error body carries the precise reason in
//! `error.details[].errorCode` (the FCM `ErrorCode` enum); the HTTP status
//! alone cannot tell a dead token (404 UNREGISTERED) from a wrong project id
//! (404 without it), so the body wins and the status is the fallback.

use std::time::Duration;

use serde::Deserialize;

/// How the caller should react to a failed send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FcmFailure {
    /// The device token will never work again: delete it and do not retry.
    InvalidToken(String),
    /// Transient (quota, overload, FCM internal error): retry, no sooner than
    /// `after` when FCM said so through `Retry-After`.
    Retry { reason: String, after: Option<Duration> },
    /// The request or our configuration is wrong: retrying cannot help.
    Permanent(String),
}

/// Classifies a non-2xx response. `retry_after` is the parsed `Retry-After`
/// header, if any; it is passed through on every retryable outcome.
pub fn classify(status: u16, body: &str, retry_after: Option<Duration>) -> FcmFailure {
    let error = serde_json::from_str::<Envelope>(body).ok().map(|e| e.error);
    let retry = |reason: String| FcmFailure::Retry { reason, after: retry_after };

    if let Some(error) = &error {
        let message = error.message.as_str();
        match error.fcm_error_code() {
            Some("UNREGISTERED") => {
                return FcmFailure::InvalidToken(format!("token unregistered: {message}"));
            }
            Some("SENDER_ID_MISMATCH") => {
                return FcmFailure::InvalidToken(format!("token belongs to another Firebase project: {message}"));
            }
            Some("INVALID_ARGUMENT") => return invalid_argument(error),
            Some("QUOTA_EXCEEDED") => return retry(format!("FCM quota exceeded: {message}")),
            Some("UNAVAILABLE") => return retry(format!("FCM unavailable: {message}")),
            Some("INTERNAL") => return retry(format!("FCM internal error: {message}")),
            Some("THIRD_PARTY_AUTH_ERROR") => {
                return FcmFailure::Permanent(format!(
                    "APNs or web push credentials rejected, check the Firebase \
                     project's APNs key/certificate or VAPID key: {message}"
                ));
            }
            // UNSPECIFIED_ERROR, codes added later, or no FcmError detail at
            // all: the HTTP status decides.
            _ => {}
        }
        // A 400 without an FcmError detail still says which field was bad.
        if status == 400 || error.status == "INVALID_ARGUMENT" {
            return invalid_argument(error);
        }
    }

    // Without Google's JSON the body is whatever a proxy sent (often an HTML
    // page): keep enough of it to recognise, not the whole page.
    let message = match &error {
        Some(error) => error.message.as_str(),
        None => prefix(body, 200),
    };
    match status {
        429 => retry(format!("FCM rate limited (429): {message}")),
        500..=599 => retry(format!("FCM server error ({status}): {message}")),
        401 | 403 => FcmFailure::Permanent(format!(
            "FCM refused our credentials ({status}), check the service account, \
             its roles and the project id: {message}"
        )),
        _ => FcmFailure::Permanent(format!("FCM rejected the message ({status}): {message}")),
    }
}

/// INVALID_ARGUMENT covers both a malformed token (delete it) and a malformed
/// message (fix the code); only the wording and field violations tell them
/// apart.
fn invalid_argument(error: &GoogleError) -> FcmFailure {
    let about_token = contains_registration_token(&error.message)
        || error
            .details
            .iter()
            .flat_map(|d| &d.field_violations)
            .any(|v| v.field.ends_with(".token") || contains_registration_token(&v.description));
    if about_token {
        FcmFailure::InvalidToken(format!("invalid registration token: {}", error.message))
    } else {
        FcmFailure::Permanent(format!("invalid message: {}", error.message))
    }
}

/// At most `max_chars` characters of `text`, cut on a character boundary.
fn prefix(text: &str, max_chars: usize) -> &str {
    text.char_indices().nth(max_chars).map_or(text, |(end, _)| &text[..end])
}

fn contains_registration_token(text: &str) -> bool {
    text.to_ascii_lowercase().contains("registration token")
}

/// `{"error": {...}}`, Google's standard error envelope.
#[derive(Deserialize)]
struct Envelope {
    error: GoogleError,
}

#[derive(Deserialize)]
struct GoogleError {
    #[serde(default)]
    message: String,
    /// The canonical gRPC status name, e.g. "NOT_FOUND".
    #[serde(default)]
    status: String,
    #[serde(default)]
    details: Vec<Detail>,
}

impl GoogleError {
    /// The `errorCode` of the `google.firebase.fcm.v1.FcmError` detail.
    fn fcm_error_code(&self) -> Option<&str> {
        self.details
            .iter()
            .filter(|d| d.type_url.ends_with("google.firebase.fcm.v1.FcmError"))
            .find_map(|d| d.error_code.as_deref())
    }
}

/// One entry of `details`: an `FcmError`, a `google.rpc.BadRequest`, an
/// `ApnsError`... Fields a type does not have are left at their defaults.
#[derive(Deserialize)]
struct Detail {
    #[serde(rename = "@type", default)]
    type_url: String,
    #[serde(rename = "errorCode", default)]
    error_code: Option<String>,
    #[serde(rename = "fieldViolations", default)]
    field_violations: Vec<FieldViolation>,
}

#[derive(Deserialize)]
struct FieldViolation {
    #[serde(default)]
    field: String,
    #[serde(default)]
    description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response body shaped like FCM's, with an `FcmError` detail.
    fn fcm_body(code: u16, status: &str, message: &str, error_code: &str) -> String {
        serde_json::json!({
            "error": {
                "code": code,
                "message": message,
                "status": status,
                "details": [{
                    "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                    "errorCode": error_code,
                }],
            }
        })
        .to_string()
    }

    fn is_invalid_token(failure: &FcmFailure) -> bool {
        matches!(failure, FcmFailure::InvalidToken(_))
    }

    fn is_permanent(failure: &FcmFailure) -> bool {
        matches!(failure, FcmFailure::Permanent(_))
    }

    #[test]
    fn unregistered_is_invalid_token() {
        let body = fcm_body(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
        let failure = classify(404, &body, None);
        assert_eq!(failure, FcmFailure::InvalidToken("token unregistered: Requested entity was not found.".to_owned()));
    }

    #[test]
    fn not_found_without_unregistered_is_permanent() {
        // A wrong project id in the URL also gives 404, but no FcmError:
        // deleting the token would be wrong.
        let body = r#"{"error": {"code": 404, "message": "Requested entity was not found.",
                       "status": "NOT_FOUND"}}"#;
        assert!(is_permanent(&classify(404, body, None)));
    }

    #[test]
    fn invalid_argument_about_the_token_is_invalid_token() {
        // The example from Firebase's error-codes page.
        let body = fcm_body(
            400,
            "INVALID_ARGUMENT",
            "The registration token is not a valid FCM registration token",
            "INVALID_ARGUMENT",
        );
        assert!(is_invalid_token(&classify(400, &body, None)));
    }

    #[test]
    fn invalid_argument_with_token_field_violation_is_invalid_token() {
        let body = r#"{"error": {"code": 400, "message": "Request contains an invalid argument.",
            "status": "INVALID_ARGUMENT", "details": [
              {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
               "errorCode": "INVALID_ARGUMENT"},
              {"@type": "type.googleapis.com/google.rpc.BadRequest",
               "fieldViolations": [{"field": "message.token",
                                    "description": "Invalid registration token"}]}]}}"#;
        assert!(is_invalid_token(&classify(400, body, None)));
    }

    #[test]
    fn invalid_argument_about_the_message_is_permanent() {
        // The other example from Firebase's error-codes page: a bad data value.
        let body = r#"{"error": {"code": 400,
            "message": "Invalid value at 'message.data[0].value' (TYPE_STRING), 12",
            "status": "INVALID_ARGUMENT", "details": [
              {"@type": "type.googleapis.com/google.rpc.BadRequest",
               "fieldViolations": [{"field": "message.data[0].value",
                 "description": "Invalid value at 'message.data[0].value' (TYPE_STRING), 12"}]}]}}"#;
        assert_eq!(
            classify(400, body, None),
            FcmFailure::Permanent(
                "invalid message: Invalid value at 'message.data[0].value' (TYPE_STRING), 12".to_owned()
            )
        );

        let too_big = fcm_body(400, "INVALID_ARGUMENT", "Message is too big", "INVALID_ARGUMENT");
        assert!(is_permanent(&classify(400, &too_big, None)));
    }

    #[test]
    fn sender_id_mismatch_is_invalid_token() {
        let body = fcm_body(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH");
        assert!(is_invalid_token(&classify(403, &body, None)));
    }

    #[test]
    fn quota_exceeded_retries_after_the_header() {
        let body =
            fcm_body(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Send messages'.", "QUOTA_EXCEEDED");
        let after = Some(Duration::from_secs(60));
        match classify(429, &body, after) {
            FcmFailure::Retry { reason, after: got } => {
                assert_eq!(got, after);
                assert!(reason.contains("quota"), "{reason}");
            }
            other => panic!("expected Retry, got {other:?}"),
        }
    }

    #[test]
    fn http_429_without_body_retries() {
        let after = Some(Duration::from_secs(30));
        assert_eq!(
            classify(429, "", after),
            FcmFailure::Retry { reason: "FCM rate limited (429): ".to_owned(), after }
        );
    }

    #[test]
    fn unavailable_and_internal_retry() {
        let unavailable = fcm_body(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE");
        let after = Some(Duration::from_secs(10));
        assert!(matches!(
            classify(503, &unavailable, after),
            FcmFailure::Retry { after: a, .. } if a == after
        ));

        let internal = fcm_body(500, "INTERNAL", "Internal error encountered.", "INTERNAL");
        assert!(matches!(classify(500, &internal, None), FcmFailure::Retry { after: None, .. }));
    }

    #[test]
    fn other_5xx_retry_even_with_html_body() {
        // A load balancer's error page, not Google's JSON.
        let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        for status in [500, 502, 503, 504] {
            assert!(matches!(classify(status, html, None), FcmFailure::Retry { .. }), "{status}");
        }
    }

    #[test]
    fn third_party_auth_error_is_permanent_config_problem() {
        let body =
            fcm_body(401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service", "THIRD_PARTY_AUTH_ERROR");
        match classify(401, &body, None) {
            FcmFailure::Permanent(message) => {
                assert!(message.contains("APNs"), "{message}");
                assert!(message.contains("Auth error from APNS"), "{message}");
            }
            other => panic!("expected Permanent, got {other:?}"),
        }
    }

    #[test]
    fn unauthenticated_and_permission_denied_are_permanent() {
        let unauthenticated = r#"{"error": {"code": 401,
            "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
            "status": "UNAUTHENTICATED"}}"#;
        let permission = r#"{"error": {"code": 403,
            "message": "Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/demo' (or it may not exist).",
            "status": "PERMISSION_DENIED"}}"#;
        for (status, body) in [(401, unauthenticated), (403, permission)] {
            match classify(status, body, None) {
                FcmFailure::Permanent(message) => {
                    assert!(message.contains("credentials"), "{message}");
                }
                other => panic!("expected Permanent for {status}, got {other:?}"),
            }
        }
        // Even when the body is not JSON.
        assert!(is_permanent(&classify(401, "Unauthorized", None)));
        assert!(is_permanent(&classify(403, "", None)));
    }

    #[test]
    fn unparseable_body_falls_back_to_status() {
        assert!(is_permanent(&classify(400, "Bad Request", None)));
        assert!(is_permanent(&classify(404, "{not json", None)));
        assert!(matches!(classify(503, "{not json", None), FcmFailure::Retry { .. }));
    }

    #[test]
    fn long_non_json_body_is_shortened() {
        let page = format!("<html>{}</html>", "é".repeat(1000));
        match classify(502, &page, None) {
            FcmFailure::Retry { reason, .. } => {
                assert!(reason.ends_with(&"é".repeat(194)), "{reason}");
                assert!(reason.chars().count() < 250, "{reason}");
            }
            other => panic!("expected Retry, got {other:?}"),
        }
    }

    #[test]
    fn unknown_error_code_falls_back_to_status() {
        let retryable = fcm_body(503, "UNAVAILABLE", "Try later.", "SOMETHING_NEW");
        assert!(matches!(classify(503, &retryable, None), FcmFailure::Retry { .. }));
        let unspecified = fcm_body(400, "FAILED_PRECONDITION", "Nope.", "UNSPECIFIED_ERROR");
        assert!(is_permanent(&classify(400, &unspecified, None)));
    }

    #[test]
    fn error_code_outside_fcm_error_detail_is_ignored() {
        // Only the FcmError detail carries the FCM ErrorCode.
        let body = r#"{"error": {"code": 503, "message": "Backend Error", "status": "UNAVAILABLE",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                         "errorCode": "UNREGISTERED"}]}}"#;
        assert!(matches!(classify(503, body, None), FcmFailure::Retry { .. }));
    }
}
