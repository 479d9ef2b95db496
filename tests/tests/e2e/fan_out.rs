use chrono::{Timelike, Utc};
use ordertrack_shared::domain::{Channel, NotificationStatus};
use ordertrack_tests::{customer_order, guest_order, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

/// A Spanish-speaking customer with a verified phone and a phone app.
async fn spanish_customer(app: &TestApp) -> (String, String) {
    let mut body = customer_order("SO-1", "ana");
    body["locale"] = json!("es");
    let order = app.create_order(&body).await;
    let token = app.customer_token("ana").await;
    app.verify_phone(&token, "+34600123456").await;
    app.register_device(&token, "fcm-device-token-ana-0000000001").await;
    (order["id"].as_str().unwrap().to_owned(), token)
}

async fn set_channels(app: &TestApp, token: &str, channels: Value, quiet_hours: Value) {
    let body = json!({"locale": "es", "time_zone": "Europe/Madrid", "quiet_hours": quiet_hours, "channels": channels});
    let res = app.put("/api/v1/me/preferences", token, &body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
}

async fn sent_on(app: &TestApp, order_id: &str, channel: Channel) -> usize {
    let id: Uuid = order_id.parse().unwrap();
    app.notifications(id)
        .await
        .iter()
        .filter(|n| {
            n.channel == channel && n.status == NotificationStatus::Sent && n.event.as_str() != "order_confirmed"
        })
        .count()
}

#[tokio::test]
async fn a_status_change_reaches_every_allowed_channel_in_the_customers_language() {
    let app = TestApp::spawn().await;
    let (order_id, token) = spanish_customer(&app).await;
    set_channels(&app, &token, json!({"order_shipped": ["email", "sms", "push"]}), Value::Null).await;
    let sms_before = app.providers.sms().await.len();
    app.set_status(&order_id, "shipped").await;
    app.run_pending_jobs().await;
    assert_eq!(sent_on(&app, &order_id, Channel::Email).await, 1);
    assert_eq!(sent_on(&app, &order_id, Channel::Sms).await, 1);
    assert_eq!(sent_on(&app, &order_id, Channel::Push).await, 1);
    let mail = app
        .smtp
        .received()
        .into_iter()
        .find(|m| m.subject().contains("SO-1") && !m.subject().contains("confirm"))
        .unwrap();
    assert_eq!(mail.subject(), "Tu pedido SO-1 ya está en camino");
    assert!(mail.header("List-Unsubscribe").unwrap().starts_with("<https://track.example.test/u/"));
    assert_eq!(mail.header("List-Unsubscribe-Post").unwrap(), "List-Unsubscribe=One-Click");
    let sms = app.providers.sms().await;
    assert_eq!(sms.len(), sms_before + 1);
    let shipped_sms = sms.last().unwrap();
    assert_eq!(shipped_sms.to, "+34600123456");
    assert!(shipped_sms.body.contains("SO-1") && shipped_sms.body.contains("/c/"), "{}", shipped_sms.body);
    assert_eq!(shipped_sms.status_callback.as_deref(), Some("https://track.example.test/webhooks/twilio/status"));
    let push = app.providers.pushes().await.pop().unwrap();
    assert_eq!(push.token, "fcm-device-token-ana-0000000001");
    assert_eq!(push.data["event"], "order_shipped");
    assert_eq!(push.data["order_number"], "SO-1");
    assert!(push.title.contains("SO-1") || push.body.contains("SO-1"), "{push:?}");
    // A duplicate send would collapse into this one on the device.
    let row = app.notifications(order_id.parse().unwrap()).await;
    let shipped = row.iter().find(|n| n.channel == Channel::Push && n.event.as_str() == "order_shipped").unwrap();
    assert_eq!(push.message["android"]["collapse_key"], shipped.id.to_string());
    assert_eq!(push.message["apns"]["headers"]["apns-collapse-id"], shipped.id.to_string());
    assert_eq!(push.message["webpush"]["headers"]["Topic"], shipped.id.simple().to_string());
    app.stop().await;
}

#[tokio::test]
async fn opted_out_channels_get_nothing() {
    let app = TestApp::spawn().await;
    let (order_id, token) = spanish_customer(&app).await;
    set_channels(&app, &token, json!({"order_shipped": ["email"]}), Value::Null).await;
    let (sms_before, push_before) = (app.providers.sms().await.len(), app.providers.pushes().await.len());
    app.set_status(&order_id, "shipped").await;
    app.run_pending_jobs().await;
    assert_eq!(sent_on(&app, &order_id, Channel::Email).await, 1);
    assert_eq!(app.providers.sms().await.len(), sms_before);
    assert_eq!(app.providers.pushes().await.len(), push_before);
    let rows = app.notifications(order_id.parse().unwrap()).await;
    assert!(rows.iter().all(|n| n.channel == Channel::Email), "no rows for opted-out channels");
    app.stop().await;
}

#[tokio::test]
async fn quiet_hours_hold_sms_and_push_but_not_critical_events() {
    let app = TestApp::spawn().await;
    let (order_id, token) = spanish_customer(&app).await;
    // A window around "now" in Madrid.
    let madrid_hour = (Utc::now() + chrono::Duration::hours(1)).hour();
    let quiet = json!({"start": format!("{:02}:00", (madrid_hour + 23) % 24), "end": format!("{:02}:00", (madrid_hour + 2) % 24)});
    let all = json!(["email", "sms", "push"]);
    set_channels(&app, &token, json!({"order_shipped": all, "delivery_exception": all}), quiet).await;
    let sms_before = app.providers.sms().await.len();

    app.set_status(&order_id, "shipped").await;
    // The held SMS and push are queued for the end of the quiet hours: not
    // due, so not waited for.
    app.run_pending_jobs().await;
    assert_eq!(sent_on(&app, &order_id, Channel::Email).await, 1);
    assert_eq!(app.providers.sms().await.len(), sms_before, "SMS waits for the morning");
    let held: Vec<_> = app
        .notifications(order_id.parse().unwrap())
        .await
        .into_iter()
        .filter(|n| n.channel != Channel::Email && n.event.as_str() == "order_shipped")
        .collect();
    assert_eq!(held.len(), 2);
    assert!(held.iter().all(|n| n.status == NotificationStatus::Pending && n.next_attempt_at > Utc::now()));

    // A delivery problem is critical: it goes out at once.
    app.set_status(&order_id, "exception").await;
    app.run_pending_jobs().await;
    assert_eq!(app.providers.sms().await.len(), sms_before + 1);
    assert_eq!(app.providers.pushes().await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn guests_hear_on_the_email_and_phone_they_gave() {
    let app = TestApp::spawn().await;
    let mut body = guest_order("SO-G", "guest@example.com", "ru");
    body["guest"]["phone"] = json!("+7 912 345 67 89");
    let order = app.create_order(&body).await;
    let order_id = order["id"].as_str().unwrap().to_owned();
    app.set_status(&order_id, "shipped").await;
    app.set_status(&order_id, "out_for_delivery").await;
    app.run_pending_jobs().await;
    assert_eq!(app.providers.sms().await.len(), 1);
    let sms = &app.providers.sms().await[0];
    assert_eq!(sms.to, "+79123456789");
    assert!(sms.body.chars().any(|c| ('а'..='я').contains(&c)), "Russian: {}", sms.body);
    assert_eq!(app.smtp.received().len(), 3, "confirmed, shipped, out for delivery");

    // The link in the messages (a click link to the tracking page) opens it without the email.
    let link = sms.body.split_whitespace().find(|w| w.contains("/c/")).unwrap().trim_end_matches(['.', ',']);
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = no_redirects.get(app.url(link.trim_start_matches("https://track.example.test"))).send().await.unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let code = location.strip_prefix("https://track.example.test/t/").expect("the tracking page");
    let view: Value =
        app.http.get(app.url(&format!("/api/v1/tracking/{code}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(view["order_number"], "SO-G");
    assert_eq!(view["status"], "out_for_delivery");
    let bad = app.http.get(app.url("/api/v1/tracking/AAAAAAAAAAAA")).send().await.unwrap();
    assert_eq!(bad.status(), 404);
    // The link itself opens the shopper's page, in the order's language.
    let page = app.http.get(app.url(&format!("/t/{code}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("Заказ SO-G") && html.contains("Передан курьеру") && html.contains("lang=\"ru\""), "{html}");
    assert!(!html.contains("Out for delivery"), "{html}");
    assert_eq!(app.http.get(app.url("/t/AAAAAAAAAAAA")).send().await.unwrap().status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn one_click_unsubscribe_really_turns_email_off() {
    let app = TestApp::spawn().await;
    let mut body = guest_order("SO-U", "leave@example.com", "en");
    body["guest"]["phone"] = json!("+7 912 345 67 89");
    let order = app.create_order(&body).await;
    let order_id = order["id"].as_str().unwrap().to_owned();
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1);
    let header = app.smtp.received()[0].header("List-Unsubscribe").unwrap();
    let path = header.trim_matches(['<', '>']).trim_start_matches("https://track.example.test").to_owned();

    let forged =
        app.http.post(app.url(&format!("{path}x"))).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(forged.status(), 404);
    let page = app.http.get(app.url(&path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("method=\"post\""));
    let res = app.http.post(app.url(&path)).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(res.status(), 200);

    app.set_status(&order_id, "shipped").await;
    app.set_status(&order_id, "out_for_delivery").await;
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1, "no email after unsubscribing");
    // Only that channel, for that address: the phone still hears.
    assert_eq!(app.providers.sms().await.len(), 1);
    let rows = app.notifications(order_id.parse().unwrap()).await;
    let channels: Vec<Channel> = rows.iter().map(|n| n.channel).collect();
    assert_eq!(channels, [Channel::Email, Channel::Sms], "the confirmation, then the SMS");
    app.stop().await;
}
