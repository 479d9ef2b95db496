//! What becomes of a message once it left: opens (people and mail-privacy
//! proxies), clicks through signed links, SendGrid's and Twilio's reports,
//! and the shopper's rating of the delivery.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ordertrack_shared::domain::{Channel, MessageEventKind};
use ordertrack_shared::links::Signer;
use ordertrack_shared::models::{MessageEvent, Notification, OrderRating};
use ordertrack_shared::schema::{
    channel_opt_outs, notification_events, order_event_inbox, order_events, order_ratings,
};
use ordertrack_shared::webhooks::twilio;
use ordertrack_tests::providers::TWILIO_TOKEN;
use ordertrack_tests::timeline::assert_rebuild_keeps_the_timeline;
use ordertrack_tests::{guest_order, sendgrid, TestApp, APP_SECRET, PUBLIC_BASE_URL};
use serde_json::{json, Value};
use uuid::Uuid;

/// A guest order in `locale`, delivered; returns its id and delivered email row.
async fn delivered_order(app: &TestApp, number: &str, email: &str, locale: &str) -> (Uuid, Notification) {
    let order = app.create_order(&guest_order(number, email, locale)).await;
    let id = order["id"].as_str().unwrap();
    app.set_status(id, "shipped").await;
    app.set_status(id, "delivered").await;
    app.run_pending_jobs().await;
    let id: Uuid = id.parse().unwrap();
    let delivered = app
        .notifications(id)
        .await
        .into_iter()
        .find(|n| n.event.as_str() == "delivered" && n.channel == Channel::Email)
        .expect("a delivered email");
    (id, delivered)
}

/// The HTML of the email sent for `notification`.
fn html_of(app: &TestApp, notification: &Notification) -> String {
    let message_id = notification.provider_message_id.clone().expect("sent");
    let mail = app.smtp.received().into_iter().find(|m| m.header("Message-ID") == Some(message_id.clone())).unwrap();
    mail.part("text/html").expect("html part")
}

/// The links of `html` starting with `prefix` (our public base URL + path), as local paths.
fn links(html: &str, prefix: &str) -> Vec<String> {
    let start = format!("{PUBLIC_BASE_URL}{prefix}");
    html.match_indices(&start)
        .map(|(at, _)| {
            let rest = &html[at + PUBLIC_BASE_URL.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// A guest order with a phone, out for delivery (an SMS event), its messages sent.
async fn out_for_delivery_by_sms(app: &TestApp, number: &str, locale: &str) -> Value {
    let mut body = guest_order(number, &format!("{}@example.com", number.to_lowercase()), locale);
    body["guest"]["phone"] = json!("+34600123456");
    let order = app.create_order(&body).await;
    let id = order["id"].as_str().unwrap();
    app.set_status(id, "shipped").await;
    app.set_status(id, "out_for_delivery").await;
    app.run_pending_jobs().await;
    order
}

async fn events(app: &TestApp, notification_id: Uuid) -> Vec<MessageEvent> {
    let mut conn = app.db.get().await.unwrap();
    notification_events::table
        .filter(notification_events::notification_id.eq(notification_id))
        .order(notification_events::id)
        .select(MessageEvent::as_select())
        .load(&mut conn)
        .await
        .unwrap()
}

async fn all_events(app: &TestApp) -> i64 {
    let mut conn = app.db.get().await.unwrap();
    notification_events::table.count().get_result(&mut conn).await.unwrap()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn opens_and_clicks_are_counted_and_links_only_lead_where_the_message_pointed() {
    let app = TestApp::spawn().await;
    let (order_id, email) = delivered_order(&app, "SO-ENG-1", "ana@example.com", "en").await;
    let html = html_of(&app, &email);
    assert!(!html.contains("/t/"), "every link is a click link: {html}");
    let pixel = links(&html, "/o/");
    assert_eq!(pixel.len(), 1, "one open pixel");
    let clicks = links(&html, "/c/");
    assert!(clicks.len() >= 6, "the order page and five rating links: {clicks:?}");
    assert_eq!(links(&html, "/u/").len(), 1, "unsubscribe stays direct");

    // A person opens it (Apple Mail), then Apple's privacy proxy fetches it.
    let apple_mail = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)";
    for agent in [apple_mail, "Mozilla/5.0"] {
        let res = app.http.get(app.url(&pixel[0])).header("User-Agent", agent).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/gif");
        assert!(res.headers()["cache-control"].to_str().unwrap().contains("no-store"));
        assert_eq!(&res.bytes().await.unwrap()[..6], b"GIF89a");
    }

    // The first link is the order's page: a 302 there, and a click recorded.
    let client = no_redirects();
    let res = client.get(app.url(&clicks[0])).send().await.unwrap();
    assert_eq!(res.status(), 302);
    let target = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(target.starts_with(&format!("{PUBLIC_BASE_URL}/t/")), "{target}");
    assert_eq!(email.links_sent(&app).await[0], target);

    // Tampered, or signed for a link the message did not carry: 404, nothing recorded.
    let before = events(&app, email.id).await.len();
    let token = clicks[0].trim_start_matches("/c/");
    let tampered: String = token.chars().rev().collect();
    assert_eq!(client.get(app.url(&format!("/c/{tampered}"))).send().await.unwrap().status(), 404);
    let beyond = Signer::new(APP_SECRET).click_token(email.id, 200);
    assert_eq!(client.get(app.url(&format!("/c/{beyond}"))).send().await.unwrap().status(), 404);
    let elsewhere = Signer::new("another secret").click_token(email.id, 0);
    assert_eq!(client.get(app.url(&format!("/c/{elsewhere}"))).send().await.unwrap().status(), 404);
    assert_eq!(client.get(app.url("/o/AAAA")).send().await.unwrap().status(), 404);
    assert_eq!(events(&app, email.id).await.len(), before);

    let recorded = events(&app, email.id).await;
    let kinds: Vec<(MessageEventKind, bool)> = recorded.iter().map(|e| (e.kind, e.machine)).collect();
    assert_eq!(
        kinds,
        [(MessageEventKind::Opened, false), (MessageEventKind::Opened, true), (MessageEventKind::Clicked, false)]
    );
    assert_eq!(recorded[2].detail["url"], json!(target));
    assert!(recorded.iter().all(|e| e.order_id == Some(order_id)));

    // Staff see them on the order's timeline; the shopper's view does not.
    let timeline: Value =
        app.get(&format!("/api/v1/orders/{order_id}/timeline"), &app.admin_token).await.json().await.unwrap();
    let titles: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "message_event")
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "email to ana@example.com opened",
            "email to ana@example.com opened by a mail-privacy proxy",
            "email to ana@example.com link clicked"
        ]
    );
    let mut conn = app.db.get().await.unwrap();
    // Sequenced into the log, or still in its inbox.
    let staff_only: Vec<bool> = order_events::table
        .filter(order_events::order_id.eq(order_id))
        .filter(order_events::kind.eq("message_event"))
        .select(order_events::staff_only)
        .union_all(
            order_event_inbox::table
                .filter(order_event_inbox::order_id.eq(order_id))
                .filter(order_event_inbox::kind.eq("message_event"))
                .select(order_event_inbox::staff_only),
        )
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(staff_only, [true, true, true], "on the live stream for staff only");
    app.stop().await;
}

trait SentLinks {
    async fn links_sent(&self, app: &TestApp) -> Vec<String>;
}

impl SentLinks for Notification {
    async fn links_sent(&self, app: &TestApp) -> Vec<String> {
        let mut conn = app.db.get().await.unwrap();
        Notification::sent_links(&mut conn, self.id).await.unwrap().unwrap().1
    }
}

#[tokio::test]
async fn an_sms_link_is_a_click_link_within_its_budget() {
    let app = TestApp::spawn().await;
    let order = out_for_delivery_by_sms(&app, "SO-ENG-SMS", "ru").await;
    let sms = app.providers.sms().await.pop().expect("an SMS");
    assert!(sms.body.contains(&format!("{PUBLIC_BASE_URL}/c/")) && !sms.body.contains("/t/"), "{}", sms.body);
    let segments = ordertrack_shared::channels::sms_segments::count(&sms.body).segments;
    assert!(segments <= 2, "{segments} segments: {}", sms.body);
    let link = &sms.body[sms.body.find("/c/").unwrap()..];
    let res = no_redirects().get(app.url(link.trim())).send().await.unwrap();
    assert_eq!(res.status(), 302);
    let order_code = order["tracking_code"].as_str().map(str::to_owned);
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&format!("{PUBLIC_BASE_URL}/t/")), "{location} ({order_code:?})");
    app.stop().await;
}

#[tokio::test]
async fn a_rating_is_one_tap_in_the_shoppers_language_and_changeable_for_seven_days() {
    let app = TestApp::spawn().await;
    let (order_id, email) = delivered_order(&app, "SO-ENG-R", "rosa@example.com", "es").await;
    let html = html_of(&app, &email);
    assert!(html.contains("¿Qué tal fue la entrega?"), "{html}");
    let stars: Vec<String> =
        email.links_sent(&app).await.into_iter().filter(|l| l.contains("/r/") && l.contains("?score=")).collect();
    assert_eq!(stars.len(), 5, "five one-tap links: {stars:?}");
    assert!(stars[3].ends_with("?score=4"), "{}", stars[3]);
    let four = stars[3].trim_start_matches(PUBLIC_BASE_URL).to_owned();
    let page_path = four.split('?').next().unwrap().to_owned();

    // The tap opens the page with 4 chosen, sent by the page's script (allowed by its hash).
    let res = app.http.get(app.url(&four)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("script-src 'self' 'sha256-") && !policy.contains("unsafe-inline"), "{policy}");
    let page = res.text().await.unwrap();
    assert!(page.contains("¿Qué tal fue la entrega?") && page.contains("SO-ENG-R"), "{page}");
    assert!(page.contains(r#"data-auto="1""#) && page.contains(r#"value="4" checked"#), "{page}");
    let mut conn = app.db.get().await.unwrap();
    assert_eq!(OrderRating::find(&mut conn, order_id).await.unwrap().map(|r| r.score), None, "a GET rates nothing");

    let client = no_redirects();
    let post = |form: Vec<(&'static str, String)>| client.post(app.url(&page_path)).form(&form).send();
    let res = post(vec![("score", "4".into()), ("comment", "Rápido".into())]).await.unwrap();
    assert_eq!(res.status(), 303);
    let rating = OrderRating::find(&mut conn, order_id).await.unwrap().expect("rated");
    assert_eq!((rating.score, rating.comment.as_deref(), rating.notification_id), (4, Some("Rápido"), email.id));
    let page = app.http.get(app.url(&page_path)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("¡Gracias! Has valorado esta entrega con 4 de 5."), "{page}");
    assert!(page.contains(r#"data-auto="0""#), "a reload sends nothing");

    // Bad input: the page says what is wrong and nothing changes.
    let res = post(vec![("score", "9".into())]).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Elige una valoración del 1 al 5."));
    let res = post(vec![("score", "2".into()), ("comment", "x".repeat(2001))]).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("como máximo 2000 caracteres"));
    assert_eq!(OrderRating::find(&mut conn, order_id).await.unwrap().unwrap().score, 4);

    // Changed within the week; not after.
    assert_eq!(post(vec![("score", "5".into())]).await.unwrap().status(), 303);
    assert_eq!(OrderRating::find(&mut conn, order_id).await.unwrap().unwrap().score, 5);
    diesel::update(order_ratings::table.find(order_id))
        .set(order_ratings::rated_at.eq(chrono::Utc::now() - chrono::Duration::days(8)))
        .execute(&mut conn)
        .await
        .unwrap();
    let res = post(vec![("score", "1".into())]).await.unwrap();
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("Esta valoración ya no se puede cambiar."));
    assert_eq!(OrderRating::find(&mut conn, order_id).await.unwrap().unwrap().score, 5);

    // Each rating given is an event on the message's record.
    let rated: Vec<i64> = events(&app, email.id)
        .await
        .iter()
        .filter(|e| e.kind == MessageEventKind::Rated)
        .map(|e| e.detail["score"].as_i64().unwrap())
        .collect();
    assert_eq!(rated, [4, 5]);

    // Only the delivered message's token opens a rating page.
    let confirmed =
        app.notifications(order_id).await.into_iter().find(|n| n.event.as_str() == "order_confirmed").unwrap();
    let token = Signer::new(APP_SECRET).rating_token(confirmed.id);
    assert_eq!(app.http.get(app.url(&format!("/r/{token}"))).send().await.unwrap().status(), 404);
    assert_eq!(app.http.get(app.url("/r/not-a-token")).send().await.unwrap().status(), 404);
    app.stop().await;
}

/// POSTs a SendGrid batch with `signature` (or a valid one for `body`).
async fn sendgrid_post(app: &TestApp, body: &str, signature: Option<&str>) -> reqwest::Response {
    let timestamp = "1767225600";
    let signature = signature.map_or_else(|| sendgrid::sign(timestamp, body.as_bytes()), str::to_owned);
    app.http
        .post(app.url("/webhooks/sendgrid/events"))
        .header("X-Twilio-Email-Event-Webhook-Signature", signature)
        .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sendgrid_events_are_verified_recorded_once_and_a_hard_bounce_turns_email_off() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("SO-SG-1", "Bounce@Example.com", "en")).await;
    app.run_pending_jobs().await;
    let order_id: Uuid = order["id"].as_str().unwrap().parse().unwrap();
    let email = app.notifications(order_id).await.pop().unwrap();
    let id = email.id;
    let batch = json!([
        {"email": "bounce@example.com", "event": "processed", "sg_event_id": "sg-0", "timestamp": 1767225500, "notification_id": id},
        {"email": "bounce@example.com", "event": "delivered", "sg_event_id": "sg-1", "timestamp": 1767225510, "notification_id": id},
        {"email": "bounce@example.com", "event": "open", "sg_event_id": "sg-2", "timestamp": 1767225520, "sg_machine_open": true, "notification_id": id},
        {"email": "bounce@example.com", "event": "bounce", "type": "bounce", "reason": "550 no such user", "sg_event_id": "sg-3", "timestamp": 1767225530, "smtp-id": email.provider_message_id},
        {"email": "someone@else.example", "event": "delivered", "sg_event_id": "sg-4", "timestamp": 1767225540}
    ])
    .to_string();

    // Forged or tampered: refused, nothing kept.
    let tampered = batch.replace("550 no such user", "550 nope");
    let signature = sendgrid::sign("1767225600", batch.as_bytes());
    assert_eq!(sendgrid_post(&app, &tampered, Some(&signature)).await.status(), 401);
    assert_eq!(sendgrid_post(&app, &batch, Some("MEUCIQ==")).await.status(), 401);
    let unsigned = app.http.post(app.url("/webhooks/sendgrid/events")).body(batch.clone()).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
    // Signed but malformed: 400 naming the field, nothing kept.
    let res = sendgrid_post(&app, r#"[{"event":"delivered","timestamp":1}]"#, None).await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "[0].sg_event_id");
    assert_eq!(all_events(&app).await, 0);

    assert_eq!(sendgrid_post(&app, &batch, None).await.status(), 204);
    // SendGrid retries: the same batch again changes nothing.
    assert_eq!(sendgrid_post(&app, &batch, None).await.status(), 204);
    let recorded = events(&app, id).await;
    let kinds: Vec<(MessageEventKind, bool)> = recorded.iter().map(|e| (e.kind, e.machine)).collect();
    assert_eq!(
        kinds,
        [(MessageEventKind::Delivered, false), (MessageEventKind::Opened, true), (MessageEventKind::Bounced, false)]
    );
    assert_eq!(all_events(&app).await, 4, "the unmatched delivery is kept too");
    let row = app.notifications(order_id).await.pop().unwrap();
    assert_eq!(row.delivery_status.as_deref(), Some("bounce"));

    // The hard bounce turned that address's email off: the next order sends it none.
    let mut conn = app.db.get().await.unwrap();
    let opted_out: Vec<String> = channel_opt_outs::table
        .filter(channel_opt_outs::channel.eq(Channel::Email))
        .select(channel_opt_outs::recipient)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(opted_out, std::slice::from_ref(&email.recipient));
    let next = app.create_order(&guest_order("SO-SG-2", "Bounce@Example.com", "en")).await;
    let next_id: Uuid = next["id"].as_str().unwrap().parse().unwrap();
    assert!(app.notifications(next_id).await.is_empty(), "no email to a bounced address");

    // A soft (blocked) bounce does not.
    let soft = json!([{"email": "soft@example.com", "event": "bounce", "type": "blocked", "sg_event_id": "sg-9", "timestamp": 1767225600}]);
    assert_eq!(sendgrid_post(&app, &soft.to_string(), None).await.status(), 204);
    let count: i64 = channel_opt_outs::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(count, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_twilio_delivery_report_is_a_fact_on_the_message_once() {
    let app = TestApp::spawn().await;
    let order = out_for_delivery_by_sms(&app, "SO-TW", "en").await;
    let id = order["id"].as_str().unwrap();
    let sms = app.notifications(id.parse().unwrap()).await.into_iter().find(|n| n.channel == Channel::Sms).unwrap();
    let sid = sms.provider_message_id.clone().unwrap();
    let url = "https://track.example.test/webhooks/twilio/status";
    for status in ["sent", "delivered", "delivered"] {
        let params = vec![("MessageSid".to_owned(), sid.clone()), ("MessageStatus".to_owned(), status.to_owned())];
        let res = app
            .http
            .post(app.url("/webhooks/twilio/status"))
            .header("X-Twilio-Signature", twilio::sign(TWILIO_TOKEN, url, &params))
            .form(&params)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
    }
    let kinds: Vec<MessageEventKind> = events(&app, sms.id).await.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [MessageEventKind::Delivered], "sent is on the way; a repeated report counts once");
    assert_rebuild_keeps_the_timeline(&app, id.parse().unwrap(), &[0, 6]).await;
    app.stop().await;
}
