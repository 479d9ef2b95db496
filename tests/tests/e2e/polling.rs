use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ordertrack_shared::jobs::Queue;
use ordertrack_shared::schema::shipments;
use ordertrack_tests::{guest_order, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, ResponseTemplate};

use crate::carriers::{fedex_payload, fedex_scan, shipment};

async fn fedex_parcels(app: &TestApp, count: usize) -> Vec<Uuid> {
    let order = app.create_order(&guest_order("SO-POLL", "p@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    let mut parcels = Vec::new();
    for i in 0..count {
        let res = app
            .post(
                &format!("/api/v1/orders/{id}/shipments"),
                &app.service_token,
                &json!({"carrier": "fedex", "tracking_number": format!("7000000000{i:02}")}),
            )
            .await;
        parcels.push(res.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap());
    }
    parcels
}

async fn mount_fedex_token(app: &TestApp) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "fx-token", "token_type": "bearer", "expires_in": 3600})),
        )
        .mount(&app.providers.carriers)
        .await;
}

fn requests_to(requests: &[Request], endpoint: &str) -> usize {
    requests.iter().filter(|r| r.url.path() == endpoint).count()
}

#[tokio::test]
async fn due_parcels_are_polled_in_batches_and_rescheduled_by_their_state() {
    let app = TestApp::spawn().await;
    let parcels = fedex_parcels(&app, 31).await;
    mount_fedex_token(&app).await;
    Mock::given(method("POST"))
        .and(path("/track/v1/trackingnumbers"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let numbers: Vec<String> = body["trackingInfo"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["trackingNumberInfo"]["trackingNumber"].as_str().unwrap().to_owned())
                .collect();
            let results: Vec<Value> = numbers
                .iter()
                .map(|n| {
                    fedex_payload(n, vec![fedex_scan("2026-11-20T08:00:00Z", "IT", "In transit", "")], None)["output"]
                        ["completeTrackResults"][0]
                        .clone()
                })
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({"output": {"completeTrackResults": results}}))
        })
        .mount(&app.providers.carriers)
        .await;

    let ctx = ordertrack_worker::context(app.worker_config.clone()).unwrap();
    ordertrack_worker::jobs::enqueue_polls::enqueue_polls(&ctx).await.unwrap();
    app.run_pending_jobs().await;
    for p in &parcels {
        assert_eq!(shipment(&app, *p).await.tracking_status, "in_transit");
    }
    let requests = app.providers.carriers.received_requests().await.unwrap();
    let sizes: Vec<usize> = requests
        .iter()
        .filter(|r| r.url.path() == "/track/v1/trackingnumbers")
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["trackingInfo"].as_array().unwrap().len())
        .collect();
    eprintln!("batch sizes: {sizes:?}");
    assert_eq!(requests_to(&requests, "/track/v1/trackingnumbers"), 2, "30 per call");
    assert_eq!(requests_to(&requests, "/oauth/token"), 1, "the token is reused");
    let sizes: Vec<usize> = requests
        .iter()
        .filter(|r| r.url.path() == "/track/v1/trackingnumbers")
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["trackingInfo"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 31);
    assert!(sizes.contains(&30));

    // In transit, no webhooks ever: polled again in about two hours.
    let parcel = shipment(&app, parcels[0]).await;
    let wait = parcel.next_poll_at - Utc::now();
    assert!(wait > chrono::Duration::minutes(115) && wait <= chrono::Duration::minutes(120), "{wait}");
    assert_eq!(parcel.poll_failures, 0);

    // Nothing is due now: a second scan queues nothing.
    assert_eq!(ordertrack_worker::jobs::enqueue_polls::enqueue_polls(&ctx).await.unwrap(), 0);
    app.stop().await;
}

#[tokio::test]
async fn a_throttled_carrier_is_backed_off() {
    let app = TestApp::spawn().await;
    let parcels = fedex_parcels(&app, 2).await;
    mount_fedex_token(&app).await;
    Mock::given(method("POST"))
        .and(path("/track/v1/trackingnumbers"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "900")
                .set_body_json(json!({"errors": [{"code": "TOO.MANY.REQUESTS"}]})),
        )
        .mount(&app.providers.carriers)
        .await;
    let ctx = ordertrack_worker::context(app.worker_config.clone()).unwrap();
    ordertrack_worker::jobs::enqueue_polls::enqueue_polls(&ctx).await.unwrap();
    app.run_pending_jobs().await;
    let parcel = shipment(&app, parcels[0]).await;
    assert_eq!(parcel.poll_failures, 1);
    let wait = parcel.next_poll_at - Utc::now();
    assert!(wait > chrono::Duration::seconds(880) && wait <= chrono::Duration::seconds(900), "{wait}");
    assert_eq!(parcel.tracking_status, "pre_transit");
    app.stop().await;
}

#[tokio::test]
async fn the_per_carrier_rate_limit_holds_polls_back() {
    let app = TestApp::spawn_with(ordertrack_tests::Options { carrier_rate_per_minute: 1, ..Default::default() }).await;
    // Two UPS parcels: UPS takes one number per call, so two calls are due.
    let order = app.create_order(&guest_order("SO-R", "r@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    for number in ["1Z999AA10000000001", "1Z999AA10000000002"] {
        app.post(
            &format!("/api/v1/orders/{id}/shipments"),
            &app.service_token,
            &json!({"carrier": "ups", "tracking_number": number}),
        )
        .await;
    }
    Mock::given(method("POST"))
        .and(path("/security/v1/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "ups-token", "expires_in": "3600"})),
        )
        .mount(&app.providers.carriers)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&app.providers.carriers).await;
    let ctx = ordertrack_worker::context(app.worker_config.clone()).unwrap();
    // A real clock is the subject: both polls must fall in one rate window.
    ordertrack_tests::start_of_a_rate_window().await;
    assert_eq!(ordertrack_worker::jobs::enqueue_polls::enqueue_polls(&ctx).await.unwrap(), 2);
    // The poll over the budget is queued again for the next window: not due,
    // so not waited for.
    app.run_pending_jobs().await;
    let later: u64 = app.queue_states(&[Queue::CarrierPolls]).await[0].1.later;
    assert_eq!(later, 1, "the second poll waits for the next window");
    let requests = app.providers.carriers.received_requests().await.unwrap();
    let calls = requests.iter().filter(|r| r.url.path().starts_with("/api/track/v1/details/")).count();
    assert_eq!(calls, 1, "one call this minute; the other waits for the next window");
    let mut conn = app.db.get().await.unwrap();
    let _: Vec<Uuid> = shipments::table.select(shipments::id).load(&mut conn).await.unwrap();
    app.stop().await;
}
