//! HTTP clients that poll the carriers' tracking APIs and hand back
//! [`TrackingUpdate`]s, classifying failures so the scheduler knows whether to
//! back off (rate limited), retry later (unavailable), fix configuration
//! (unauthorized) or drop the request (rejected).
//!
//! - FedEx: OAuth client credentials (`POST {base}/oauth/token`, form body),
//!   then `POST {base}/track/v1/trackingnumbers` for up to 30 numbers.
//! - UPS: OAuth client credentials with HTTP Basic (`POST
//!   {base}/security/v1/oauth/token`), then one `GET
//!   {base}/api/track/v1/details/{number}` per number with `transId` (32
//!   characters, UPS's limit: a simple-format UUID) and `transactionSrc`.
//! - DHL: `GET {base}/track/shipments?trackingNumber=..&service=express` with
//!   the `DHL-API-Key` header. The API key is the `client_id`; DHL's secret is
//!   only for its OAuth-protected APIs, so `client_secret` is unused. Only DHL
//!   Express numbers are asked for (`service=express`).
//!
//! Tokens are cached until a minute before they expire (FedEx sends
//! `expires_in` as a number, UPS as a string; both are read) and dropped on a
//! 401 so the next call fetches a new one. A 404 from UPS or DHL means the
//! carrier does not know the number yet: no update, not an error.

use std::fmt;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::sync::Mutex;

use super::fedex;
use super::status::{ParseError, TrackingUpdate};
use crate::domain::Carrier;

/// Where and how to reach one carrier's API.
#[derive(Clone)]
pub struct CarrierCredentials {
    /// e.g. `https://apis.fedex.com`, `https://onlinetools.ups.com`,
    /// `https://api-eu.dhl.com` (a trailing `/` is fine).
    pub base_url: String,
    /// OAuth client id; for DHL, the API key.
    pub client_id: String,
    pub client_secret: String,
}

/// Never prints the secret, and only the start of the id: for DHL the id is
/// the API key itself.
impl fmt::Debug for CarrierCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.client_id.chars().take(4).collect();
        let id = if self.client_id.chars().count() > 4 { format!("{shown}…") } else { "****".to_owned() };
        f.debug_struct("CarrierCredentials")
            .field("base_url", &self.base_url)
            .field("client_id", &id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// Why a poll failed, and so what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarrierError {
    /// HTTP 429: back off, for `retry_after` when the carrier said (seconds
    /// form of `Retry-After` only).
    #[error("rate limited by the carrier (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    /// 5xx, timeouts, connection failures: retry later.
    #[error("carrier unavailable: {0}")]
    Unavailable(String),
    /// Any other 4xx (bad request, too many numbers, forbidden): retrying the
    /// same request will not help.
    #[error("carrier rejected the request: {0}")]
    Rejected(String),
    /// 401, or the token endpoint refusing our credentials: fix configuration.
    #[error("carrier refused our credentials: {0}")]
    Unauthorized(String),
    /// A success status with a body we cannot read.
    #[error("unreadable carrier response: {0}")]
    Parse(String),
}

impl From<ParseError> for CarrierError {
    fn from(err: ParseError) -> Self {
        CarrierError::Parse(err.to_string())
    }
}

/// A polling client for one carrier. Cheap to share behind an `Arc`; the
/// token cache is behind a mutex so concurrent polls fetch one token.
pub struct CarrierClient {
    carrier: Carrier,
    base_url: String,
    credentials: CarrierCredentials,
    http: reqwest::Client,
    /// The bearer token and when it expires.
    token: Mutex<Option<(String, Instant)>>,
}

/// Why a carrier client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CarrierSetupError {
    #[error("{carrier}: {setting} is empty")]
    Missing { carrier: &'static str, setting: &'static str },
    #[error("{carrier}: http client: {source}")]
    Http { carrier: &'static str, source: reqwest::Error },
}

impl CarrierClient {
    pub fn new(
        carrier: Carrier,
        credentials: CarrierCredentials,
        timeout: Duration,
    ) -> Result<Self, CarrierSetupError> {
        let name = carrier.display_name();
        let missing = |setting| CarrierSetupError::Missing { carrier: name, setting };
        let base_url = credentials.base_url.trim().trim_end_matches('/').to_owned();
        if base_url.is_empty() {
            return Err(missing("the base URL"));
        }
        if credentials.client_id.trim().is_empty() {
            return Err(missing("the client id (API key for DHL)"));
        }
        if carrier != Carrier::Dhl && credentials.client_secret.is_empty() {
            return Err(missing("the client secret"));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|source| CarrierSetupError::Http { carrier: name, source })?;
        Ok(CarrierClient { carrier, base_url, credentials, http, token: Mutex::new(None) })
    }

    pub fn carrier(&self) -> Carrier {
        self.carrier
    }

    /// How many numbers one [`track`](Self::track) call should carry: FedEx
    /// answers 30 at once, UPS and DHL one per request.
    pub fn batch_size(&self) -> usize {
        super::batch_size(self.carrier)
    }

    /// The carrier's current view of these parcels. Numbers the carrier does
    /// not know yet simply have no update. More than 30 FedEx numbers is
    /// `Rejected` (the caller batches by [`batch_size`](Self::batch_size));
    /// UPS and DHL numbers are fetched one after another and the first
    /// failure ends the call.
    pub async fn track(&self, tracking_numbers: &[String]) -> Result<Vec<TrackingUpdate>, CarrierError> {
        if tracking_numbers.is_empty() {
            return Ok(Vec::new());
        }
        match self.carrier {
            Carrier::Fedex => self.track_fedex(tracking_numbers).await,
            Carrier::Ups | Carrier::Dhl => {
                let mut updates = Vec::new();
                for number in tracking_numbers {
                    updates.extend(self.track_one(number).await?);
                }
                Ok(updates)
            }
        }
    }

    async fn track_fedex(&self, numbers: &[String]) -> Result<Vec<TrackingUpdate>, CarrierError> {
        if numbers.len() > fedex::MAX_NUMBERS_PER_REQUEST {
            return Err(CarrierError::Rejected(format!(
                "FedEx tracks at most {} numbers per request, got {}",
                fedex::MAX_NUMBERS_PER_REQUEST,
                numbers.len()
            )));
        }
        let token = self.access_token().await?;
        let tracking_info: Vec<Value> =
            numbers.iter().map(|n| json!({"trackingNumberInfo": {"trackingNumber": n}})).collect();
        let request = self
            .http
            .post(format!("{}/track/v1/trackingnumbers", self.base_url))
            .bearer_auth(&token)
            .header("X-locale", "en_US")
            .json(&json!({"includeDetailedScans": true, "trackingInfo": tracking_info}));
        match self.send(request, false).await? {
            Some(body) => Ok(super::parse_track_response(Carrier::Fedex, &body)?),
            None => Ok(Vec::new()),
        }
    }

    /// One UPS or DHL number.
    async fn track_one(&self, number: &str) -> Result<Vec<TrackingUpdate>, CarrierError> {
        let request = match self.carrier {
            Carrier::Ups => {
                // The number goes into the URL path: keep it to what UPS numbers are.
                if number.is_empty() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(CarrierError::Rejected(format!("'{number}' is not a UPS tracking number")));
                }
                let token = self.access_token().await?;
                self.http
                    .get(format!("{}/api/track/v1/details/{number}", self.base_url))
                    .query(&[("locale", "en_US")])
                    .bearer_auth(&token)
                    .header("transId", uuid::Uuid::new_v4().simple().to_string())
                    .header("transactionSrc", "ordertrack")
            }
            Carrier::Dhl => self
                .http
                .get(format!("{}/track/shipments", self.base_url))
                .query(&[("trackingNumber", number), ("service", "express")])
                .header("DHL-API-Key", &self.credentials.client_id),
            Carrier::Fedex => return self.track_fedex(&[number.to_owned()]).await,
        };
        let Some(body) = self.send(request, true).await? else {
            tracing::debug!(carrier = %self.carrier, number, "carrier does not know this number yet");
            return Ok(Vec::new());
        };
        Ok(super::parse_track_response(self.carrier, &body)?)
    }

    /// A cached OAuth token, fetched when missing or within a minute of
    /// expiring. Any 4xx from the token endpoint but 429 is a credentials
    /// problem: the credentials are all we send.
    async fn access_token(&self) -> Result<String, CarrierError> {
        let mut cached = self.token.lock().await;
        if let Some((token, expires)) = cached.as_ref() {
            if Instant::now() + Duration::from_secs(60) < *expires {
                return Ok(token.clone());
            }
        }
        let (id, secret) = (self.credentials.client_id.as_str(), self.credentials.client_secret.as_str());
        let request = match self.carrier {
            Carrier::Fedex => self.http.post(format!("{}/oauth/token", self.base_url)).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
            ]),
            Carrier::Ups => self
                .http
                .post(format!("{}/security/v1/oauth/token", self.base_url))
                .basic_auth(id, Some(secret))
                .form(&[("grant_type", "client_credentials")]),
            Carrier::Dhl => return Err(CarrierError::Rejected("DHL uses an API key, not OAuth".into())),
        };
        let name = self.carrier.display_name();
        let response =
            request.send().await.map_err(|e| CarrierError::Unavailable(format!("{name} token endpoint: {e}")))?;
        let status = response.status();
        let retry_after = retry_after(&response);
        let body = response.text().await.unwrap_or_default();
        if !status.is_success() {
            let detail = format!("{name} token request failed ({status}): {}", excerpt(&body));
            return Err(match status.as_u16() {
                429 => CarrierError::RateLimited { retry_after },
                400..=499 => CarrierError::Unauthorized(detail),
                _ => CarrierError::Unavailable(detail),
            });
        }
        let parsed: Value = serde_json::from_str(&body)
            .map_err(|e| CarrierError::Parse(format!("{name} token response is not JSON: {e}")))?;
        let token = parsed
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| CarrierError::Parse(format!("{name} token response has no access_token")))?;
        // Without a lifetime the token is used once and not cached.
        let expires_in = match parsed.get("expires_in") {
            Some(Value::Number(seconds)) => seconds.as_u64(),
            Some(Value::String(seconds)) => seconds.trim().parse().ok(),
            _ => None,
        };
        *cached = Some((token.to_owned(), Instant::now() + Duration::from_secs(expires_in.unwrap_or(0))));
        Ok(token.to_owned())
    }

    /// Sends an API request and classifies the answer. `Ok(None)` is a 404
    /// when `not_found_is_empty` (the carrier does not know the number).
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        not_found_is_empty: bool,
    ) -> Result<Option<Value>, CarrierError> {
        let name = self.carrier.display_name();
        let response = request.send().await.map_err(|e| CarrierError::Unavailable(format!("{name}: {e}")))?;
        let status = response.status();
        let retry_after = retry_after(&response);
        let body = response
            .text()
            .await
            .map_err(|e| CarrierError::Unavailable(format!("{name}: reading the response: {e}")))?;
        let detail = || format!("{name} answered {status}: {}", excerpt(&body));
        match status.as_u16() {
            200..=299 => serde_json::from_str(&body)
                .map(Some)
                .map_err(|e| CarrierError::Parse(format!("{name} answered {status} with invalid JSON: {e}"))),
            404 if not_found_is_empty => Ok(None),
            401 => {
                // The token may have been revoked: fetch a new one next time.
                *self.token.lock().await = None;
                Err(CarrierError::Unauthorized(detail()))
            }
            429 => Err(CarrierError::RateLimited { retry_after }),
            400..=499 => Err(CarrierError::Rejected(detail())),
            _ => Err(CarrierError::Unavailable(detail())),
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by these APIs and
/// is ignored).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

/// The start of an error body, enough to diagnose without flooding logs.
fn excerpt(body: &str) -> String {
    let mut text: String = body.chars().take(300).collect();
    if body.chars().count() > 300 {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::status::TrackingStatus;
    use wiremock::matchers::{any, basic_auth, bearer_token, body_string_contains, header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn credentials(base_url: &str) -> CarrierCredentials {
        CarrierCredentials {
            base_url: base_url.to_owned(),
            client_id: "l7a1b2c3d4e5f6".into(),
            client_secret: "s3cr3t-value".into(),
        }
    }

    fn client(carrier: Carrier, server: &MockServer) -> CarrierClient {
        CarrierClient::new(carrier, credentials(&format!("{}/", server.uri())), Duration::from_secs(5)).unwrap()
    }

    fn numbers(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| n.to_string()).collect()
    }

    fn token(value: &str, expires_in: Value) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": value, "token_type": "bearer", "expires_in": expires_in, "scope": "CXS-TP"
        }))
    }

    fn fedex_result(number: &str) -> Value {
        json!({"trackingNumber": number, "trackResults": [{
            "trackingNumberInfo": {"trackingNumber": number, "carrierCode": "FDXE"},
            "latestStatusDetail": {"code": "PU", "derivedCode": "PU", "description": "Picked up"},
            "dateAndTimes": [{"type": "ESTIMATED_DELIVERY", "dateTime": "2026-09-25T10:00:00-05:00"}],
            "scanEvents": [{"date": "2026-09-24T08:12:00-05:00", "eventType": "PU", "eventDescription": "Picked up",
                            "exceptionCode": "", "exceptionDescription": "", "derivedStatusCode": "PU",
                            "scanLocation": {"city": "MEMPHIS", "stateOrProvinceCode": "TN", "countryCode": "US"}}]
        }]})
    }

    fn fedex_response(numbers: &[&str]) -> ResponseTemplate {
        let results: Vec<Value> = numbers.iter().map(|n| fedex_result(n)).collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "transactionId": "624deea6-b709-470c-8c39-4b5511281492",
            "output": {"completeTrackResults": results}
        }))
    }

    fn ups_response(number: &str) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({"trackResponse": {"shipment": [{
            "inquiryNumber": number,
            "package": [{"trackingNumber": number, "activity": [{
                "location": {"address": {"city": "Louisville", "stateProvince": "KY", "countryCode": "US"}},
                "status": {"type": "I", "description": "Origin Scan", "code": "OR", "statusCode": "005"},
                "date": "20260924", "time": "143000", "gmtDate": "20260924", "gmtTime": "183000", "gmtOffset": "-04:00"
            }]}]
        }]}}))
    }

    fn dhl_response(number: &str) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({"shipments": [{
            "id": number, "service": "express",
            "status": {"timestamp": "2026-09-24T14:30:00Z", "statusCode": "transit", "status": "PROCESSED AT LOCATION",
                       "location": {"address": {"addressLocality": "Leipzig - Germany", "countryCode": "DE"}}},
            "events": [{"timestamp": "2026-09-24T14:30:00Z", "statusCode": "transit", "status": "PROCESSED AT LOCATION",
                        "description": "Processed at LEIPZIG - GERMANY",
                        "location": {"address": {"addressLocality": "Leipzig - Germany", "countryCode": "DE"}}}]
        }]}))
    }

    #[tokio::test]
    async fn fedex_fetches_one_token_for_two_calls_and_sends_every_number() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .and(body_string_contains("grant_type=client_credentials"))
            .and(body_string_contains("client_id=l7a1b2c3d4e5f6"))
            .and(body_string_contains("client_secret=s3cr3t-value"))
            .respond_with(token("fx-token-1", json!(3599)))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/track/v1/trackingnumbers"))
            .and(bearer_token("fx-token-1"))
            .and(header("X-locale", "en_US"))
            .respond_with(fedex_response(&["794843185271", "449044304137821"]))
            .expect(2)
            .mount(&server)
            .await;
        let client = client(Carrier::Fedex, &server);
        let batch = numbers(&["794843185271", "449044304137821"]);

        let updates = client.track(&batch).await.unwrap();
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[0].tracking_number, "794843185271");
        assert_eq!(updates[0].events[0].status, TrackingStatus::InTransit);
        client.track(&batch[..1]).await.unwrap();

        let requests = server.received_requests().await.unwrap();
        let track = requests.iter().find(|r| r.url.path() == "/track/v1/trackingnumbers").unwrap();
        let sent: Value = serde_json::from_slice(&track.body).unwrap();
        assert_eq!(
            sent,
            json!({"includeDetailedScans": true, "trackingInfo": [
                {"trackingNumberInfo": {"trackingNumber": "794843185271"}},
                {"trackingNumberInfo": {"trackingNumber": "449044304137821"}}
            ]})
        );
    }

    #[tokio::test]
    async fn fedex_refetches_a_token_that_is_about_to_expire() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(token("short", json!(30)))
            .expect(2)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/track/v1/trackingnumbers"))
            .respond_with(fedex_response(&["794843185271"]))
            .expect(2)
            .mount(&server)
            .await;
        let client = client(Carrier::Fedex, &server);
        client.track(&numbers(&["794843185271"])).await.unwrap();
        client.track(&numbers(&["794843185271"])).await.unwrap();
    }

    #[tokio::test]
    async fn fedex_refuses_more_than_thirty_numbers_without_calling() {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
        let client = client(Carrier::Fedex, &server);
        let many: Vec<String> = (0..31).map(|i| format!("7948431852{i:02}")).collect();
        assert!(matches!(client.track(&many).await, Err(CarrierError::Rejected(_))));
        assert!(client.track(&[]).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_401_is_unauthorized_and_the_next_call_gets_a_new_token() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(token("revoked", json!(3599)))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(token("fresh", json!(3599)))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/track/v1/trackingnumbers"))
            .and(bearer_token("revoked"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({
                "transactionId": "b1c3",
                "errors": [{"code": "NOT.AUTHORIZED.ERROR", "message": "Access token expired."}]
            })))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/track/v1/trackingnumbers"))
            .and(bearer_token("fresh"))
            .respond_with(fedex_response(&["794843185271"]))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(Carrier::Fedex, &server);
        let batch = numbers(&["794843185271"]);
        match client.track(&batch).await {
            Err(CarrierError::Unauthorized(detail)) => assert!(detail.contains("NOT.AUTHORIZED.ERROR"), "{detail}"),
            other => panic!("expected Unauthorized, got {other:?}"),
        }
        assert_eq!(client.track(&batch).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn server_errors_are_unavailable_and_bad_requests_rejected() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(token("t", json!(3599)))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/track/v1/trackingnumbers"))
            .respond_with(ResponseTemplate::new(503).set_body_string("upstream connect error"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/track/v1/trackingnumbers"))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({
                "errors": [{"code": "TRACKING.TRACKINGNUMBERS.LIMITEXCEEDED",
                            "message": "Please limit your inquiry to 30 tracking numbers or references."}]
            })))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/track/v1/trackingnumbers"))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
            .mount(&server)
            .await;
        let client = client(Carrier::Fedex, &server);
        let batch = numbers(&["794843185271"]);
        assert!(matches!(client.track(&batch).await, Err(CarrierError::Unavailable(d)) if d.contains("503")));
        assert!(matches!(client.track(&batch).await, Err(CarrierError::Rejected(d)) if d.contains("LIMITEXCEEDED")));
        assert!(matches!(client.track(&batch).await, Err(CarrierError::Parse(_))));
    }

    #[tokio::test]
    async fn unreachable_carriers_are_unavailable() {
        // Port 9 (discard) is closed on test machines: the connection is refused.
        let client =
            CarrierClient::new(Carrier::Dhl, credentials("http://127.0.0.1:9"), Duration::from_secs(2)).unwrap();
        assert!(matches!(client.track(&numbers(&["1234567890"])).await, Err(CarrierError::Unavailable(_))));
    }

    #[tokio::test]
    async fn ups_uses_basic_auth_for_the_token_and_sends_its_headers() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/security/v1/oauth/token"))
            .and(basic_auth("l7a1b2c3d4e5f6", "s3cr3t-value"))
            .and(body_string_contains("grant_type=client_credentials"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "token_type": "Bearer", "issued_at": "1790000000000", "client_id": "l7a1b2c3d4e5f6",
                "access_token": "ups-token", "expires_in": "14399", "refresh_count": "0", "status": "approved"
            })))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/track/v1/details/1Z023E2X0214323462"))
            .and(query_param("locale", "en_US"))
            .and(bearer_token("ups-token"))
            .and(header("transactionSrc", "ordertrack"))
            .respond_with(ups_response("1Z023E2X0214323462"))
            .expect(2)
            .mount(&server)
            .await;
        let client = client(Carrier::Ups, &server);
        assert_eq!(client.batch_size(), 1);
        let updates = client.track(&numbers(&["1Z023E2X0214323462", "1Z023E2X0214323462"])).await.unwrap();
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[0].carrier, Carrier::Ups);

        let requests = server.received_requests().await.unwrap();
        let trans_ids: Vec<String> = requests
            .iter()
            .filter(|r| r.url.path().starts_with("/api/track"))
            .map(|r| r.headers.get("transId").unwrap().to_str().unwrap().to_owned())
            .collect();
        assert_eq!(trans_ids.len(), 2);
        assert!(trans_ids.iter().all(|id| id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit())));
        assert_ne!(trans_ids[0], trans_ids[1]);
    }

    #[tokio::test]
    async fn ups_not_found_is_no_update_and_odd_numbers_are_refused() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/security/v1/oauth/token"))
            .respond_with(token("u", json!("14399")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/track/v1/details/1Z12345E0205271688"))
            .respond_with(ResponseTemplate::new(404).set_body_json(json!({"response": {"errors": [
                {"code": "TW0001", "message": "Tracking Information Not Found"}
            ]}})))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(Carrier::Ups, &server);
        assert!(client.track(&numbers(&["1Z12345E0205271688"])).await.unwrap().is_empty());
        assert!(matches!(client.track(&numbers(&["1Z/../admin"])).await, Err(CarrierError::Rejected(_))));
    }

    #[tokio::test]
    async fn ups_bad_credentials_are_unauthorized() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/security/v1/oauth/token"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"response": {"errors": [
                {"code": "10401", "message": "ClientId is Invalid"}
            ]}})))
            .mount(&server)
            .await;
        let client = client(Carrier::Ups, &server);
        assert!(matches!(
            client.track(&numbers(&["1Z023E2X0214323462"])).await,
            Err(CarrierError::Unauthorized(d)) if d.contains("ClientId is Invalid")
        ));
    }

    #[tokio::test]
    async fn dhl_sends_its_api_key_and_asks_for_express() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/track/shipments"))
            .and(query_param("trackingNumber", "1234567890"))
            .and(query_param("service", "express"))
            .and(header("DHL-API-Key", "l7a1b2c3d4e5f6"))
            .respond_with(dhl_response("1234567890"))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
        let client = client(Carrier::Dhl, &server);
        assert_eq!(client.batch_size(), 1);
        let updates = client.track(&numbers(&["1234567890"])).await.unwrap();
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0].events[0].location.as_deref(), Some("Leipzig - Germany, DE"));
    }

    #[tokio::test]
    async fn dhl_not_found_is_no_update() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/track/shipments"))
            .respond_with(ResponseTemplate::new(404).set_body_json(json!({
                "title": "No result found", "status": 404,
                "detail": "No shipment with given tracking number found."
            })))
            .mount(&server)
            .await;
        assert!(client(Carrier::Dhl, &server).track(&numbers(&["1234567890"])).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn rate_limits_carry_retry_after_seconds() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(query_param("trackingNumber", "1111111111"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(query_param("trackingNumber", "2222222222"))
            .respond_with(ResponseTemplate::new(429))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(query_param("trackingNumber", "3333333333"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"))
            .mount(&server)
            .await;
        let client = client(Carrier::Dhl, &server);
        let limited = |retry_after| Err(CarrierError::RateLimited { retry_after });
        assert_eq!(client.track(&numbers(&["1111111111"])).await, limited(Some(Duration::from_secs(120))));
        assert_eq!(client.track(&numbers(&["2222222222"])).await, limited(None));
        assert_eq!(client.track(&numbers(&["3333333333"])).await, limited(None));
    }

    #[tokio::test]
    async fn token_rate_limits_are_rate_limits() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
            .mount(&server)
            .await;
        let result = client(Carrier::Fedex, &server).track(&numbers(&["794843185271"])).await;
        assert_eq!(result, Err(CarrierError::RateLimited { retry_after: Some(Duration::from_secs(7)) }));
    }

    #[test]
    fn credentials_debug_hides_the_secret_and_most_of_the_id() {
        let shown = format!("{:?}", credentials("https://apis.fedex.com"));
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(!shown.contains("l7a1b2c3d4e5f6"), "{shown}");
        assert!(shown.contains("l7a1…") && shown.contains("[redacted]") && shown.contains("apis.fedex.com"));
        let short = CarrierCredentials { client_id: "abc".into(), ..credentials("x") };
        assert!(!format!("{short:?}").contains("abc"));
    }

    #[test]
    fn clients_need_a_base_url_and_credentials() {
        let timeout = Duration::from_secs(1);
        assert!(CarrierClient::new(Carrier::Fedex, credentials("  "), timeout).is_err());
        let no_id = CarrierCredentials { client_id: " ".into(), ..credentials("https://apis.fedex.com") };
        assert!(CarrierClient::new(Carrier::Fedex, no_id, timeout).is_err());
        let key_only = CarrierCredentials { client_secret: String::new(), ..credentials("https://api-eu.dhl.com") };
        assert!(CarrierClient::new(Carrier::Ups, key_only.clone(), timeout).is_err());
        let dhl = CarrierClient::new(Carrier::Dhl, key_only, timeout).unwrap();
        assert_eq!((dhl.carrier(), dhl.batch_size()), (Carrier::Dhl, 1));
        let fedex = CarrierClient::new(Carrier::Fedex, credentials("https://apis.fedex.com/"), timeout).unwrap();
        assert_eq!(fedex.batch_size(), 30);
        assert_eq!(fedex.base_url, "https://apis.fedex.com");
    }

    #[test]
    fn error_excerpts_are_bounded() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(400);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), 301);
        assert!(cut.ends_with('…'));
    }
}
