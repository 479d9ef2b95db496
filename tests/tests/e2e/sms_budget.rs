//! Every SMS fits in two segments with the longest values the API accepts:
//! the worker shortens what it must, and the template check refuses a
//! version that cannot fit.

use ordertrack_shared::channels::sms_segments;
use ordertrack_tests::{guest_order, TestApp};
use serde_json::{json, Value};

/// A 64-character order number (the API's limit), unique per `prefix`.
fn longest_order_number(prefix: &str) -> String {
    let number: String = format!("{prefix}-").chars().chain("2026/EU-WEST#".chars().cycle()).take(64).collect();
    assert_eq!(number.len(), 64);
    number
}

#[tokio::test]
async fn the_worker_sends_at_most_two_segments_for_a_64_character_order_number() {
    let app = TestApp::spawn().await;
    // A message from customer service at the API's 1000 characters, with accents (UCS-2).
    let long_message: String =
        "Envío de reemplazo: sale mañana, disculpe las molestias. ".chars().cycle().take(1000).collect();
    let mut orders = Vec::new();
    for (i, locale) in ["en", "es", "ro", "ru"].into_iter().enumerate() {
        let number = longest_order_number(&locale.to_uppercase());
        let phone = format!("+3460012345{i}");
        let mut body = guest_order(&number, &format!("{locale}@example.com"), locale);
        body["guest"]["phone"] = json!(phone);
        let order = app.create_order(&body).await;
        let id = order["id"].as_str().unwrap().to_owned();
        // The longest tracking number any carrier accepts (DHL: 39).
        let tracking_number = format!("JJD01460001234567890123456789012345678{i}");
        assert_eq!(tracking_number.len(), 39);
        let parcel = json!({"carrier": "dhl", "tracking_number": tracking_number});
        let res = app.post(&format!("/api/v1/orders/{id}/shipments"), &app.service_token, &parcel).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
        app.set_status(&id, "shipped").await;
        app.set_status(&id, "out_for_delivery").await;
        let message = json!({"channel": "sms", "message": long_message});
        let res = app.post(&format!("/api/v1/orders/{id}/messages"), &app.csr_token, &message).await;
        assert_eq!(res.status(), 202, "{}", res.text().await.unwrap_or_default());
        orders.push((locale, number, phone));
    }
    app.run_pending_jobs().await;

    let sent = app.providers.sms().await;
    for (locale, number, phone) in &orders {
        let to_this: Vec<_> = sent.iter().filter(|s| s.to == *phone).collect();
        assert_eq!(to_this.len(), 2, "{locale}: out for delivery and the message: {to_this:#?}");
        for sms in to_this {
            let count = sms_segments::count(&sms.body);
            println!(
                "{locale}: {} segment(s), {:?}, {} units: {}",
                count.segments, count.encoding, count.units, sms.body
            );
            assert!((1..=2).contains(&count.segments), "{locale}: {count:?}: {}", sms.body);
            assert!(sms.body.contains(&number[56..]), "{locale}: the order number's end is kept: {}", sms.body);
        }
        let delivery = sent.iter().find(|s| s.to == *phone && s.body.contains("/c/"));
        assert!(delivery.is_some(), "{locale}: the out-for-delivery SMS links to the order");
        let custom = sent.iter().find(|s| s.to == *phone && !s.body.contains("/c/")).unwrap();
        assert!(custom.body.contains("Envío de reemplazo"), "{locale}: the message, cut: {}", custom.body);
    }
    app.stop().await;
}

#[tokio::test]
async fn a_version_that_cannot_fit_two_segments_is_refused() {
    let app = TestApp::spawn().await;
    let base = "/api/v1/admin/templates/out_for_delivery/sms/ru";

    // Too long whatever the values: the fixed text alone is over 134 UCS-2 units.
    let wordy = "Заказ {{ order_number }} передан курьеру и будет доставлен сегодня; курьер позвонит за час до приезда, держите телефон рядом. Отслеживание: {{ short_url }}";
    let res = app.post(base, &app.admin_token, &json!({"body": wordy, "comment": "more detail"})).await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["field"], "body", "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("needs 3 SMS segments") && message.contains("64-character order number"), "{message}");

    // Fits with the sample (a FedEx link) but not with the longest DHL link,
    // which nothing may shorten: refused too.
    let carrier_link = "Заказ {{ order_number }} у курьера. Отследить у перевозчика: {{ carrier_tracking_url }}";
    let res = app.post(base, &app.admin_token, &json!({"body": carrier_link, "comment": "carrier link"})).await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["field"], "body", "{err}");
    assert!(err["message"].as_str().unwrap().contains("needs 3 SMS segments"), "{err}");

    // Fits once the order number is shortened: accepted, with its worst case.
    let terse = "Заказ {{ order_number }} у курьера, доставка сегодня: {{ short_url }}";
    let res = app.post(base, &app.admin_token, &json!({"body": terse, "comment": "terse"})).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert!(created["sample"]["sms"]["segments"].as_u64().unwrap() <= 2, "{created}");
    let worst = &created["worst_case"];
    assert!(worst["fits"].as_bool().unwrap() && worst["segments"].as_u64().unwrap() <= 2, "{worst}");
    assert_eq!(worst["shortened"], json!(["order_number"]), "{worst}");

    // Nothing was stored for the refused drafts.
    let versions: Vec<Value> = app.get(base, &app.admin_token).await.json().await.unwrap();
    assert_eq!(versions.iter().map(|v| v["version"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2]);
    app.stop().await;
}
