use std::time::Duration;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ordertrack_shared::schema::{notifications, phone_verifications};
use ordertrack_tests::{customer_order, Options, TestApp};
use serde_json::{json, Value};

async fn customer(app: &TestApp, id: &str) -> String {
    app.create_order(&customer_order(&format!("SO-{id}"), id)).await;
    app.customer_token(id).await
}

/// The code in the `count`th SMS, once the queued sends have run.
async fn last_code(app: &TestApp, count: usize) -> String {
    app.run_pending_jobs().await;
    assert_eq!(app.providers.sms().await.len(), count, "one SMS per code");
    let sms = app.providers.sms().await.remove(count - 1);
    ordertrack_tests::code_in(&sms.body)
}

async fn confirm(app: &TestApp, token: &str, code: &str) -> (u16, Value) {
    let res = app.post("/api/v1/me/phone/verification/confirm", token, &json!({"code": code})).await;
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn a_code_sent_by_sms_verifies_the_phone_and_turns_sms_on() {
    let app = TestApp::spawn().await;
    let token = customer(&app, "ana").await;
    let res = app.post("/api/v1/me/phone/verification", &token, &json!({"phone": "+34 600-123-456"})).await;
    assert_eq!(res.status(), 202);
    assert_eq!(res.json::<Value>().await.unwrap()["phone"], "+34600123456");
    let code = last_code(&app, 1).await;
    let sms = app.providers.sms().await.remove(0);
    assert_eq!(sms.to, "+34600123456");
    assert_eq!(code.len(), 6);

    // Only a keyed hash of the code is kept, and the outbox forgets it once sent.
    let mut conn = app.db.get().await.unwrap();
    let hash: Vec<u8> =
        phone_verifications::table.select(phone_verifications::code_hash).first(&mut conn).await.unwrap();
    assert_eq!(hash.len(), 32);
    let payloads: Vec<Value> = notifications::table
        .filter(notifications::event.eq("verification_code"))
        .select(notifications::payload)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(payloads, [json!({})], "the sent code is wiped from the outbox");
    drop(conn);

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, err) = confirm(&app, &token, wrong).await;
    assert_eq!((status, err["error"].as_str().unwrap()), (422, "wrong_code"));
    assert!(err["message"].as_str().unwrap().contains("4 tries left"), "{err}");
    assert_eq!(confirm(&app, &token, &code).await.0, 200);

    let prefs: Value = app.get("/api/v1/me/preferences", &token).await.json().await.unwrap();
    assert_eq!(prefs["phone"], json!({"number": "+34600123456", "verified": true}));
    assert_eq!(prefs["channels"]["delivery_exception"], json!(["email", "sms", "push"]));
    assert_eq!(prefs["channels"]["order_confirmed"], json!(["email", "push"]));
    let (status, _) = confirm(&app, &token, &code).await;
    assert_eq!(status, 422, "a code works once");
    app.stop().await;
}

#[tokio::test]
async fn landlines_and_garbage_are_refused_clearly() {
    let app = TestApp::spawn().await;
    let token = customer(&app, "ana").await;
    for (phone, fragment) in
        [("+34 915 123 456", "cannot receive text messages"), ("600 123 456", "E.164"), ("+1 2", "E.164")]
    {
        let res = app.post("/api/v1/me/phone/verification", &token, &json!({"phone": phone})).await;
        assert_eq!(res.status(), 422, "{phone}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["field"], "phone");
        assert!(err["message"].as_str().unwrap().contains(fragment), "{err}");
    }
    app.run_pending_jobs().await;
    assert!(app.providers.sms().await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn resends_wait_for_the_cooldown() {
    let app = TestApp::spawn_with(Options { phone_code_cooldown: Duration::from_secs(30), ..Options::default() }).await;
    let token = customer(&app, "ana").await;
    let body = json!({"phone": "+40 721 234 567"});
    let res = app.post("/api/v1/me/phone/verification", &token, &body).await;
    assert_eq!(res.status(), 202);
    // The answer says when a new code may be asked for, so the app counts down.
    let sent: Value = res.json().await.unwrap();
    let resend_after: chrono::DateTime<chrono::Utc> = sent["resend_after"].as_str().unwrap().parse().unwrap();
    let wait = resend_after - chrono::Utc::now();
    assert!(wait > chrono::Duration::seconds(25) && wait <= chrono::Duration::seconds(30), "{sent}");
    let res = app.post("/api/v1/me/phone/verification", &token, &body).await;
    assert_eq!(res.status(), 429);
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry_after));
    app.stop().await;
}

#[tokio::test]
async fn five_wrong_tries_burn_the_code() {
    let app = TestApp::spawn().await;
    let token = customer(&app, "ana").await;
    app.post("/api/v1/me/phone/verification", &token, &json!({"phone": "+34600123456"})).await;
    let code = last_code(&app, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(confirm(&app, &token, wrong).await.0, 422);
    }
    let (status, err) = confirm(&app, &token, &code).await;
    assert_eq!(status, 422);
    assert!(err["message"].as_str().unwrap().contains("too many"), "{err}");
    let prefs: Value = app.get("/api/v1/me/preferences", &token).await.json().await.unwrap();
    assert_eq!(prefs["phone"]["verified"], false);
    app.stop().await;
}

#[tokio::test]
async fn codes_expire() {
    let app = TestApp::spawn_with(Options { phone_code_ttl: Duration::from_millis(300), ..Options::default() }).await;
    let token = customer(&app, "ana").await;
    app.post("/api/v1/me/phone/verification", &token, &json!({"phone": "+34600123456"})).await;
    let code = last_code(&app, 1).await;
    // A real clock is the subject: the code must outlive its 300 ms TTL.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, err) = confirm(&app, &token, &code).await;
    assert_eq!(status, 422);
    assert!(err["message"].as_str().unwrap().contains("expired"), "{err}");
    app.stop().await;
}
