//! Fake SMS gateway (Twilio's Messages API) and push service (Google OAuth
//! token endpoint + FCM HTTP v1) on loopback, speaking the real wire formats.

use serde_json::{json, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const TWILIO_SID: &str = "ACtest0000000000000000000000000000";
pub const TWILIO_TOKEN: &str = "twilio-test-auth-token";
pub const TWILIO_FROM: &str = "+15005550006";
pub const FCM_PROJECT: &str = "ordertrack-test";

pub struct FakeProviders {
    pub twilio: MockServer,
    pub fcm: MockServer,
    /// FedEx, UPS and DHL APIs (tests mount what they need).
    pub carriers: MockServer,
    /// A service-account key file whose token_uri points at `fcm`.
    pub service_account_file: std::path::PathBuf,
}

/// An SMS as the gateway received it.
#[derive(Debug, Clone)]
pub struct SentSms {
    pub to: String,
    pub body: String,
    pub status_callback: Option<String>,
}

/// A push as FCM received it.
#[derive(Debug, Clone)]
pub struct SentPush {
    pub token: String,
    pub title: String,
    pub body: String,
    pub data: Value,
    /// The whole `message` object as sent.
    pub message: Value,
}

fn form(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body).into_owned().collect()
}

impl FakeProviders {
    pub async fn start() -> FakeProviders {
        let twilio = MockServer::start().await;
        let fcm = MockServer::start().await;
        let carriers = MockServer::start().await;
        let key = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fcm-test-key.pem")).unwrap();
        let account = json!({
            "type": "service_account",
            "project_id": FCM_PROJECT,
            "client_email": "ordertrack@ordertrack-test.iam.gserviceaccount.com",
            "private_key": key,
            "token_uri": format!("{}/token", fcm.uri()),
        });
        let service_account_file = std::env::temp_dir().join(format!("ot-sa-{}.json", uuid::Uuid::new_v4()));
        std::fs::write(&service_account_file, account.to_string()).unwrap();
        let providers = FakeProviders { twilio, fcm, carriers, service_account_file };
        providers.accept_all().await;
        providers
    }

    /// The happy path: every SMS and push accepted.
    pub async fn accept_all(&self) {
        self.twilio.reset().await;
        self.fcm.reset().await;
        Mock::given(method("POST"))
            .and(path_regex(r"^/2010-04-01/Accounts/[^/]+/Messages\.json$"))
            .respond_with(|_: &Request| {
                ResponseTemplate::new(201).set_body_json(json!({
                    "sid": format!("SM{}", uuid::Uuid::new_v4().simple()),
                    "status": "queued",
                }))
            })
            .mount(&self.twilio)
            .await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(
                    json!({"access_token": "ya29.test-token", "expires_in": 3600, "token_type": "Bearer"}),
                ),
            )
            .mount(&self.fcm)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/v1/projects/{FCM_PROJECT}/messages:send")))
            .respond_with(|_: &Request| {
                ResponseTemplate::new(200).set_body_json(
                    json!({"name": format!("projects/{FCM_PROJECT}/messages/{}", uuid::Uuid::new_v4().simple())}),
                )
            })
            .mount(&self.fcm)
            .await;
    }

    /// SMS the gateway accepted (2xx answered), oldest first.
    pub async fn sms(&self) -> Vec<SentSms> {
        self.twilio
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path().ends_with("/Messages.json"))
            .map(|r| {
                let fields = form(r);
                let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
                SentSms {
                    to: get("To").unwrap_or_default(),
                    body: get("Body").unwrap_or_default(),
                    status_callback: get("StatusCallback"),
                }
            })
            .collect()
    }

    /// Pushes FCM received, oldest first.
    pub async fn pushes(&self) -> Vec<SentPush> {
        self.fcm
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path().ends_with("messages:send"))
            .map(|r| {
                assert_eq!(r.headers.get("authorization").unwrap(), "Bearer ya29.test-token");
                let body: Value = serde_json::from_slice(&r.body).unwrap();
                let message = &body["message"];
                SentPush {
                    token: message["token"].as_str().unwrap_or_default().to_owned(),
                    title: message["notification"]["title"].as_str().unwrap_or_default().to_owned(),
                    body: message["notification"]["body"].as_str().unwrap_or_default().to_owned(),
                    data: message["data"].clone(),
                    message: message.clone(),
                }
            })
            .collect()
    }
}
