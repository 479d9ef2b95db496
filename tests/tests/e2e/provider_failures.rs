use ordertrack_shared::domain::{AttemptOutcome, Channel, NotificationStatus};
use ordertrack_shared::models::{DeviceToken, Notification};
use ordertrack_shared::webhooks::twilio;
use ordertrack_tests::providers::{FCM_PROJECT, TWILIO_TOKEN};
use ordertrack_tests::{customer_order, guest_order, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, ResponseTemplate};

/// A guest order whose out-for-delivery SMS goes to the fake gateway.
async fn guest_sms(app: &TestApp) -> Uuid {
    let mut body = guest_order("SO-S", "g@example.com", "en");
    body["guest"]["phone"] = json!("+34600123456");
    let order = app.create_order(&body).await;
    let id = order["id"].as_str().unwrap();
    app.set_status(id, "shipped").await;
    app.set_status(id, "out_for_delivery").await;
    id.parse().unwrap()
}

async fn sms_row(app: &TestApp, order_id: Uuid) -> Notification {
    app.notifications(order_id).await.into_iter().find(|n| n.channel == Channel::Sms).expect("an SMS row")
}

async fn twilio_fails(app: &TestApp, status: u16, body: Value, times: Option<u64>) {
    app.providers.twilio.reset().await;
    let failing = Mock::given(method("POST"))
        .and(path_regex(r"/Messages\.json$"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .with_priority(1);
    match times {
        Some(n) => failing.up_to_n_times(n).mount(&app.providers.twilio).await,
        None => failing.mount(&app.providers.twilio).await,
    }
    Mock::given(method("POST"))
        .and(path_regex(r"/Messages\.json$"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"sid": "SMok", "status": "queued"})))
        .mount(&app.providers.twilio)
        .await;
}

#[tokio::test]
async fn a_gateway_failing_twice_then_accepting_sends_one_sms_after_three_attempts() {
    let app = TestApp::spawn().await;
    twilio_fails(&app, 503, json!({"code": 20503, "message": "Service unavailable", "status": 503}), Some(2)).await;
    let order_id = guest_sms(&app).await;
    app.run_pending_jobs().await;
    let row = sms_row(&app, order_id).await;
    assert_eq!(row.status, NotificationStatus::Sent);
    assert_eq!((row.attempts, row.provider_message_id.as_deref()), (3, Some("SMok")));
    let outcomes: Vec<_> = app.attempts(row.id).await.iter().map(|a| a.outcome).collect();
    assert_eq!(outcomes, [AttemptOutcome::TransientError, AttemptOutcome::TransientError, AttemptOutcome::Sent]);
    assert_eq!(app.providers.sms().await.len(), 3, "three requests, one accepted");
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_number_fails_at_once() {
    let app = TestApp::spawn().await;
    twilio_fails(&app, 400, json!({"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}), None).await;
    let order_id = guest_sms(&app).await;
    app.run_pending_jobs().await;
    let row = sms_row(&app, order_id).await;
    assert_eq!(row.status, NotificationStatus::Failed);
    assert_eq!(row.attempts, 1);
    assert!(row.last_error.unwrap().contains("21211"));
    app.stop().await;
}

#[tokio::test]
async fn dead_letters_are_listed_with_their_attempts_and_replayed_once_the_gateway_recovers() {
    let app = TestApp::spawn().await;
    twilio_fails(&app, 500, json!({"code": 20500, "message": "Internal error", "status": 500}), None).await;
    let order_id = guest_sms(&app).await;
    app.run_pending_jobs().await;
    let row = sms_row(&app, order_id).await;
    assert_eq!(row.status, NotificationStatus::Failed);
    assert_eq!(row.attempts, 3);

    let page: Value = app.get("/api/v1/admin/notifications", &app.csr_token).await.json().await.unwrap();
    let dead = page["notifications"].as_array().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["id"], row.id.to_string());
    assert_eq!(dead[0]["attempt_history"].as_array().unwrap().len(), 3);
    assert!(dead[0]["last_error"].as_str().unwrap().contains("gave up after 3 attempts"));
    let one: Value =
        app.get(&format!("/api/v1/admin/notifications/{}", row.id), &app.admin_token).await.json().await.unwrap();
    assert_eq!(one["attempt_history"][2]["outcome"], "transient_error");

    let replay = format!("/api/v1/admin/notifications/{}/replay", row.id);
    assert_eq!(app.post(&replay, &app.csr_token, &json!({})).await.status(), 403, "replay is for admins");
    app.providers.accept_all().await;
    assert_eq!(app.post(&replay, &app.admin_token, &json!({})).await.status(), 202);
    app.run_pending_jobs().await;
    assert_eq!(sms_row(&app, order_id).await.status, NotificationStatus::Sent);
    assert_eq!(sms_row(&app, order_id).await.attempts, 4);
    assert_eq!(app.providers.sms().await.len(), 1, "sent exactly once after recovery");
    let again = app.post(&replay, &app.admin_token, &json!({})).await;
    assert_eq!(again.status(), 409);
    app.run_pending_jobs().await;
    assert_eq!(app.providers.sms().await.len(), 1);
    let missing = format!("/api/v1/admin/notifications/{}/replay", Uuid::now_v7());
    assert_eq!(app.post(&missing, &app.admin_token, &json!({})).await.status(), 404);
    app.stop().await;
}

async fn push_customer(app: &TestApp) -> (String, Uuid) {
    let order = app.create_order(&customer_order("SO-P", "pat")).await;
    let token = app.customer_token("pat").await;
    let device = app.register_device(&token, "fcm-device-token-pat-00000000001").await;
    (order["id"].as_str().unwrap().to_owned(), device)
}

#[tokio::test]
async fn an_unregistered_push_token_is_invalidated_and_not_retried() {
    let app = TestApp::spawn().await;
    app.providers.fcm.reset().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "ya29.test-token", "expires_in": 3600})),
        )
        .mount(&app.providers.fcm)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/projects/{FCM_PROJECT}/messages:send")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": {
            "code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND",
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]
        }})))
        .mount(&app.providers.fcm)
        .await;
    let (order_id, device) = push_customer(&app).await;
    app.set_status(&order_id, "shipped").await;
    let push_row = || async {
        app.notifications(order_id.parse().unwrap())
            .await
            .into_iter()
            .find(|n| n.channel == Channel::Push && n.event.as_str() == "order_shipped")
    };
    app.run_pending_jobs().await;
    let row = push_row().await.expect("a push row");
    assert_eq!((row.status, row.attempts), (NotificationStatus::Failed, 1));
    let mut conn = app.db.get().await.unwrap();
    assert!(DeviceToken::find(&mut conn, device).await.unwrap().invalidated_at.is_some());
    drop(conn);
    app.set_status(&order_id, "delivered").await;
    app.run_pending_jobs().await;
    let delivered_pushes = app
        .notifications(order_id.parse().unwrap())
        .await
        .into_iter()
        .filter(|n| n.channel == Channel::Push && n.event.as_str() == "delivered")
        .count();
    assert_eq!(delivered_pushes, 0, "a dead token gets nothing more");
    app.stop().await;
}

#[tokio::test]
async fn push_throttling_is_retried() {
    let app = TestApp::spawn().await;
    app.providers.fcm.reset().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "ya29.test-token", "expires_in": 3600})),
        )
        .mount(&app.providers.fcm)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/projects/{FCM_PROJECT}/messages:send")))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.providers.fcm)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/projects/{FCM_PROJECT}/messages:send")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "projects/x/messages/1"})))
        .mount(&app.providers.fcm)
        .await;
    let (order_id, _) = push_customer(&app).await;
    app.set_status(&order_id, "shipped").await;
    app.run_pending_jobs().await;
    assert!(app
        .notifications(order_id.parse().unwrap())
        .await
        .iter()
        .any(|n| n.channel == Channel::Push && n.status == NotificationStatus::Sent && n.attempts == 2));
    app.stop().await;
}

#[tokio::test]
async fn signed_twilio_callbacks_record_delivery_and_forged_ones_are_refused() {
    let app = TestApp::spawn().await;
    let order_id = guest_sms(&app).await;
    app.run_pending_jobs().await;
    assert_eq!(sms_row(&app, order_id).await.status, NotificationStatus::Sent);
    let sid = sms_row(&app, order_id).await.provider_message_id.unwrap();
    let url = "https://track.example.test/webhooks/twilio/status";
    let params = vec![
        ("MessageSid".to_owned(), sid.clone()),
        ("MessageStatus".to_owned(), "delivered".to_owned()),
        ("AccountSid".to_owned(), "ACtest".to_owned()),
    ];
    let post = |params: Vec<(String, String)>, signature: String| {
        app.http.post(app.url("/webhooks/twilio/status")).header("X-Twilio-Signature", signature).form(&params).send()
    };
    let mut tampered = params.clone();
    tampered[1].1 = "failed".into();
    let forged = post(tampered, twilio::sign(TWILIO_TOKEN, url, &params)).await.unwrap();
    assert_eq!(forged.status(), 401);
    assert_eq!(post(params.clone(), "bm90IGEgc2lnbmF0dXJl".into()).await.unwrap().status(), 401);
    assert_eq!(sms_row(&app, order_id).await.delivery_status, None);

    let res = post(params.clone(), twilio::sign(TWILIO_TOKEN, url, &params)).await.unwrap();
    assert_eq!(res.status(), 204);
    let row = sms_row(&app, order_id).await;
    assert_eq!(row.delivery_status.as_deref(), Some("delivered"));
    assert!(row.delivered_at.is_some());
    app.stop().await;
}

#[tokio::test]
async fn a_failing_channel_does_not_hold_back_the_others() {
    let app = TestApp::spawn().await;
    let mut body = customer_order("SO-M", "mia");
    body["locale"] = json!("ro");
    let order = app.create_order(&body).await;
    let order_id: Uuid = order["id"].as_str().unwrap().parse().unwrap();
    let token = app.customer_token("mia").await;
    app.verify_phone(&token, "+40721234567").await;
    app.register_device(&token, "fcm-device-token-mia-00000000001").await;
    twilio_fails(
        &app,
        400,
        json!({"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}),
        None,
    )
    .await;
    app.set_status(order["id"].as_str().unwrap(), "shipped").await;
    app.set_status(order["id"].as_str().unwrap(), "exception").await;
    app.run_pending_jobs().await;
    let rows: Vec<_> =
        app.notifications(order_id).await.into_iter().filter(|n| n.event.as_str() == "delivery_exception").collect();
    assert_eq!(rows.len(), 3);
    let status_of = |channel| rows.iter().find(|n| n.channel == channel).unwrap().status;
    assert_eq!(status_of(Channel::Sms), NotificationStatus::Failed);
    assert_eq!(status_of(Channel::Email), NotificationStatus::Sent);
    assert_eq!(status_of(Channel::Push), NotificationStatus::Sent);
    app.stop().await;
}

#[tokio::test]
async fn customers_remove_only_their_own_devices() {
    let app = TestApp::spawn().await;
    let (order_id, device) = push_customer(&app).await;
    app.create_order(&customer_order("SO-O", "other")).await;
    let other = app.customer_token("other").await;
    let pat = app.customer_token("pat").await;
    let path = format!("/api/v1/me/devices/{device}");
    let listed = |token: String| {
        let request = app.http.get(app.url("/api/v1/me/devices")).bearer_auth(token);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let mine = listed(pat.clone()).await;
    assert_eq!(mine["devices"][0]["id"], device.to_string(), "{mine}");
    assert!(mine["devices"][0].get("token").is_none(), "a push token is never shown again: {mine}");
    assert_eq!(listed(other.clone()).await["devices"], json!([]), "only one's own devices are listed");
    let res = app.http.delete(app.url(&path)).bearer_auth(&other).send().await.unwrap();
    assert_eq!(res.status(), 404, "someone else's device");
    let res = app.post("/api/v1/me/devices", &pat, &json!({"token": "short", "platform": "android"})).await;
    assert_eq!(res.status(), 422);
    let res = app
        .post(
            "/api/v1/me/devices",
            &pat,
            &json!({"token": "fcm-device-token-pat-00000000002", "platform": "blackberry"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    let res = app.http.delete(app.url(&path)).bearer_auth(&pat).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(listed(pat.clone()).await["devices"], json!([]), "a removed device is gone from the list");
    app.set_status(&order_id, "shipped").await;
    app.run_pending_jobs().await;
    assert!(app.notifications(order_id.parse().unwrap()).await.iter().all(|n| n.channel != Channel::Push));
    app.stop().await;
}
