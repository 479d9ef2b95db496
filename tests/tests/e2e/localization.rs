//! Every shopper-visible word in the shopper's language (issue 9, point 4):
//! the tracking page in the order's language and time zone, and API texts
//! in the language asked for (`?locale=`, then `Accept-Language`), else the
//! order's.

use std::time::Duration;

use chrono::Utc;
use ordertrack_shared::carriers::status::TrackingStatus;
use ordertrack_shared::domain::{Locale, OrderStatus};
use ordertrack_shared::i18n::{status_text, tracking_status_text};
use ordertrack_shared::models::Order;
use ordertrack_tests::live::SseStream;
use ordertrack_tests::{customer_order, guest_order, TestApp};
use serde_json::{json, Value};

use crate::carriers::{fedex_payload, fedex_scan, post_fedex, FEDEX_NUMBER};

fn russian_order(number: &str) -> Value {
    json!({
        "order_number": number,
        "guest": {"email": "pokupatel@example.ru", "name": "Иван Петров"},
        "locale": "ru",
        "shipping_address": {
            "name": "Иван Петров", "line1": "ул. Тверская, 1", "city": "Москва",
            "postal_code": "125009", "country": "RU"
        },
        "estimated_delivery_at": "2030-01-10T12:00:00Z"
    })
}

async fn add_fedex_parcel(app: &TestApp, order_id: &str) {
    let res = app
        .post(
            &format!("/api/v1/orders/{order_id}/shipments"),
            &app.service_token,
            &json!({"carrier": "fedex", "tracking_number": FEDEX_NUMBER}),
        )
        .await;
    assert_eq!(res.status(), 201);
}

async fn tracking_code(app: &TestApp, order_id: &str) -> String {
    let conn = app.db.get().await.unwrap();
    Order::find(&conn, order_id.parse().unwrap()).await.unwrap().tracking_code
}

async fn tracking_page(app: &TestApp, code: &str) -> String {
    app.http.get(app.url(&format!("/t/{code}"))).send().await.unwrap().text().await.unwrap()
}

/// The page without the carriers' own words, which stay as they wrote them.
fn without_carrier_words(page: &str) -> String {
    let mut rest = page;
    let mut kept = String::new();
    while let Some(start) = rest.find("<small>") {
        kept.push_str(&rest[..start]);
        rest = rest[start..].split_once("</small>").map_or("", |(_, after)| after);
    }
    kept.push_str(rest);
    kept
}

fn titles(timeline: &Value) -> Vec<String> {
    timeline.as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_russian_order_s_page_is_russian_and_in_moscow_time() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&russian_order("RU-1")).await;
    let id = order["id"].as_str().unwrap();
    add_fedex_parcel(&app, id).await;
    let scans = vec![
        fedex_scan("2030-09-24T08:12:00-05:00", "PU", "Picked up", ""),
        fedex_scan("2030-09-25T07:05:00-05:00", "OD", "On FedEx vehicle for delivery", ""),
        fedex_scan("2030-09-25T13:30:00-05:00", "DL", "Delivered", ""),
    ];
    assert_eq!(post_fedex(&app, &fedex_payload(FEDEX_NUMBER, scans, None)).await.status(), 202);
    app.run_pending_jobs().await;

    let code = tracking_code(&app, id).await;
    let res = app.http.get(app.url(&format!("/t/{code}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<html lang="ru">"#), "{page}");
    for words in [
        "<p class=\"status\">Доставлен</p>",
        "Заказ подтверждён",
        "Создано отправление FedEx (123456789012)",
        "В пути",
        "Передана курьеру",
        "FedEx 123456789012 · Доставлена",
        "Ожидаемая доставка: <strong>10 янв. 2030 г.</strong>",
        // 13:30 in Memphis (UTC-5) is 21:30 in Moscow.
        "25 сент. 2030 г., 21:30 MSK",
        "24 сент. 2030 г., 16:12 MSK",
        "Сообщение перевозчика: Picked up",
    ] {
        assert!(page.contains(words), "no {words:?} in {page}");
    }
    let ours = without_carrier_words(&page);
    let english: Vec<&str> = OrderStatus::ALL
        .iter()
        .map(|s| status_text(*s, Locale::En))
        .chain(TrackingStatus::ALL.iter().map(|s| tracking_status_text(*s, Locale::En)))
        .chain(["Shipment created", "Picked up", "UTC"])
        .filter(|words| ours.contains(words))
        .collect();
    assert!(english.is_empty(), "English on a Russian page: {english:?}\n{page}");

    // `?locale=` shows it in another language; one we do not write, in the order's.
    let spanish = app.http.get(app.url(&format!("/t/{code}?locale=es"))).send().await.unwrap().text().await.unwrap();
    assert!(spanish.contains(r#"<html lang="es">"#) && spanish.contains("<p class=\"status\">Entregado</p>"));
    assert!(spanish.contains("25 sept 2030, 21:30 MSK"), "{spanish}");
    let res = app.http.get(app.url(&format!("/t/{code}?locale=xx&utm_source=mail"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains(r#"<html lang="ru">"#));
    app.stop().await;
}

#[tokio::test]
async fn guest_tracking_answers_in_the_order_s_language_unless_asked_otherwise() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("ES-1", "cliente@example.es", "es")).await;
    let id = order["id"].as_str().unwrap();
    let lookup = json!({"order_number": "ES-1", "email": "cliente@example.es"});

    let view: Value =
        app.http.post(app.url("/api/v1/tracking")).json(&lookup).send().await.unwrap().json().await.unwrap();
    assert_eq!(view["status_text"], "Pedido confirmado");
    assert_eq!(titles(&view["timeline"]), ["Pedido confirmado"]);

    let res = app.http.post(app.url("/api/v1/tracking?locale=ru")).json(&lookup).send().await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["status_text"], "Заказ подтверждён");
    let res = app
        .http
        .post(app.url("/api/v1/tracking"))
        .header("Accept-Language", "de-DE, ro;q=0.8, en;q=0.5")
        .json(&lookup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["status_text"], "Comandă confirmată");
    let res = app.http.post(app.url("/api/v1/tracking?locale=xx")).json(&lookup).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "locale");

    let code = tracking_code(&app, id).await;
    let by_link = app
        .http
        .get(app.url(&format!("/api/v1/tracking/{code}")))
        .header("Accept-Language", "ru-RU,ru;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(by_link.json::<Value>().await.unwrap()["status_text"], "Заказ подтверждён");
    app.stop().await;
}

#[tokio::test]
async fn staff_views_follow_locale_then_accept_language_then_the_order() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("EN-1", "shopper@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    add_fedex_parcel(&app, id).await;
    let timeline = format!("/api/v1/orders/{id}/timeline");
    let get = |path: String, language: Option<&'static str>| {
        let mut request = app.http.get(app.url(&path)).bearer_auth(&app.csr_token);
        if let Some(language) = language {
            request = request.header("Accept-Language", language);
        }
        request.send()
    };

    let english: Value = get(timeline.clone(), None).await.unwrap().json().await.unwrap();
    assert_eq!(titles(&english), ["Order confirmed", "Shipment created with FedEx (123456789012)"]);
    let romanian: Value = get(format!("{timeline}?locale=ro"), None).await.unwrap().json().await.unwrap();
    assert_eq!(titles(&romanian), ["Comandă confirmată", "Expediere creată cu FedEx (123456789012)"]);
    assert_eq!(romanian[1]["shipment"]["tracking_status_text"], "Etichetă creată, în așteptarea curierului");
    let russian: Value = get(timeline.clone(), Some("ru-RU,ru;q=0.9,en;q=0.8")).await.unwrap().json().await.unwrap();
    assert_eq!(titles(&russian), ["Заказ подтверждён", "Создано отправление FedEx (123456789012)"]);
    // The parameter wins over the header.
    let spanish: Value =
        get(format!("{timeline}?locale=es&order=newest"), Some("ru")).await.unwrap().json().await.unwrap();
    assert_eq!(titles(&spanish), ["Envío creado con FedEx (123456789012)", "Pedido confirmado"]);

    let res = get(format!("{timeline}?locale=xx"), None).await.unwrap();
    assert_eq!(res.status(), 422);
    let error: Value = res.json().await.unwrap();
    assert_eq!((error["error"].as_str(), error["field"].as_str()), (Some("invalid_field"), Some("locale")));

    let view: Value = get(format!("/api/v1/orders/{id}"), Some("ro")).await.unwrap().json().await.unwrap();
    assert_eq!(view["status_text"], "Comandă confirmată");
    assert_eq!(view["shipments"][0]["tracking_status_text"], "Etichetă creată, în așteptarea curierului");
    let view: Value = get(format!("/api/v1/orders/{id}"), None).await.unwrap().json().await.unwrap();
    assert_eq!(view["status_text"], "Order confirmed");
    assert_eq!(get(format!("/api/v1/orders/{id}?locale=de"), None).await.unwrap().status(), 422);
    app.stop().await;
}

#[tokio::test]
async fn live_events_arrive_in_the_language_the_stream_asked_for() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("LIVE-1", "shopper@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    let code = tracking_code(&app, id).await;
    let stream_url = app.url(&format!("/api/v1/tracking/{code}/events"));
    let opened = Utc::now();
    let (status, mut romanian) = SseStream::connect(&format!("{stream_url}?locale=ro"), None, None).await;
    assert_eq!(status, 200);
    let (_, mut russian) = SseStream::open(app.http.get(&stream_url).header("Accept-Language", "ru")).await;
    let (_, mut as_ordered) = SseStream::connect(&stream_url, None, None).await;
    let (status, _) = SseStream::connect(&format!("{stream_url}?locale=xx"), None, None).await;
    assert_eq!(status, 422);
    for stream in [&mut romanian, &mut russian, &mut as_ordered] {
        stream.skip_recorded_before(opened);
    }

    app.set_status(id, "on_hold").await;
    let wait = Duration::from_secs(10);
    for (stream, title) in [
        (&mut romanian, "Comandă în așteptare"),
        (&mut russian, "Заказ приостановлен"),
        (&mut as_ordered, "Order is on hold"),
    ] {
        let event = stream.next_of_kind("status_change", wait).await.expect("the status change, live");
        assert_eq!(event.data["entry"]["title"], title, "{event:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn times_are_in_the_customer_s_chosen_zone_else_their_country_s() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("RO-1", "cust-ro")).await;
    let id = order["id"].as_str().unwrap();
    add_fedex_parcel(&app, id).await;
    let scans = vec![fedex_scan("2030-09-25T13:30:00-05:00", "DL", "Delivered", "")];
    assert_eq!(post_fedex(&app, &fedex_payload(FEDEX_NUMBER, scans, None)).await.status(), 202);
    app.run_pending_jobs().await;
    let code = tracking_code(&app, id).await;

    // Never chose a zone (the default, UTC): Romania's summer time.
    let shown = tracking_page(&app, &code).await;
    assert!(shown.contains("Sep 25, 2030, 21:30 EEST"), "{shown}");

    let token = app.customer_token("cust-ro").await;
    let prefs: Value = app.get("/api/v1/me/preferences", &token).await.json().await.unwrap();
    let chosen = json!({"locale": "en", "time_zone": "America/Mexico_City", "channels": prefs["channels"]});
    let res = app.put("/api/v1/me/preferences", &token, &chosen).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let shown = tracking_page(&app, &code).await;
    assert!(shown.contains("Sep 25, 2030, 12:30 CST"), "{shown}");
    app.stop().await;
}

#[tokio::test]
async fn a_moved_delivery_date_in_the_timeline_is_the_shopper_s_date_from_their_next_read() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("RO-2", "cust-ro")).await;
    let id = order["id"].as_str().unwrap();
    add_fedex_parcel(&app, id).await;
    // The second estimate is later: 02:00 UTC on the 26th, which is the
    // 26th in Bucharest and still the 25th in Mexico City.
    for (at, eta) in
        [("2030-09-20T08:00:00Z", "2030-09-22T12:00:00Z"), ("2030-09-21T08:00:00Z", "2030-09-26T02:00:00Z")]
    {
        let scans = vec![fedex_scan(at, "IT", "In transit", "")];
        assert_eq!(post_fedex(&app, &fedex_payload(FEDEX_NUMBER, scans, Some(eta))).await.status(), 202);
        app.run_pending_jobs().await;
    }
    let shopper = app.customer_token("cust-ro").await;
    let moved_title = |token: String| {
        let app = &app;
        async move {
            let url = format!("/api/v1/orders/{id}/timeline?locale=en");
            let timeline: Vec<Value> = app.get(&url, &token).await.json().await.unwrap();
            let moved: Vec<_> = timeline.iter().filter(|e| e["issue_kind"] == "eta_moved").collect();
            assert_eq!(moved.len(), 1, "{timeline:?}");
            moved[0]["title"].as_str().unwrap().to_owned()
        }
    };

    // Never chose a zone (the default, UTC): Romania's date.
    let in_romania = "The carrier moved the estimated delivery to Sep 26, 2030";
    assert_eq!(moved_title(shopper.clone()).await, in_romania);
    assert_eq!(moved_title(app.service_token.clone()).await, in_romania);

    let prefs: Value = app.get("/api/v1/me/preferences", &shopper).await.json().await.unwrap();
    let chosen = json!({"locale": "en", "time_zone": "America/Mexico_City", "channels": prefs["channels"]});
    assert_eq!(app.put("/api/v1/me/preferences", &shopper, &chosen).await.status(), 200);
    // At once, though the replica had the old preference cached.
    let in_mexico = "The carrier moved the estimated delivery to Sep 25, 2030";
    assert_eq!(moved_title(shopper.clone()).await, in_mexico);
    assert_eq!(moved_title(app.service_token.clone()).await, in_mexico);
    app.stop().await;
}
