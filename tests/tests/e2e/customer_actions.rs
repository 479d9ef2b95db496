//! Customer actions with real effects: an address change moves the order, a
//! confirmed reschedule moves the estimate that delay detection holds to, and
//! every outcome reaches the shopper in their language.

use chrono::{Duration, NaiveDate, Utc};
use ordertrack_shared::domain::NotificationEvent;
use ordertrack_shared::models::{Notification, Order, ShipmentIssue};
use ordertrack_tests::timeline::assert_rebuild_keeps_the_timeline;
use ordertrack_tests::{guest_order, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::carriers::{fedex_payload, fedex_scan, post_fedex, shipment};
use crate::delays::set_eta;

/// A guest order in `locale` with one FedEx parcel; returns (order id, parcel id, tracking-link code).
async fn guest_with_parcel(app: &TestApp, number: &str, locale: &str, tracking: &str) -> (String, Uuid, String) {
    let order = app.create_order(&guest_order(number, &format!("{number}@example.com"), locale)).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let body = json!({"carrier": "fedex", "tracking_number": tracking});
    let res = app.post(&format!("/api/v1/orders/{id}/shipments"), &app.service_token, &body).await;
    assert_eq!(res.status(), 201);
    let parcel = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap();
    let conn = app.db.get().await.unwrap();
    let code = Order::find(&conn, id.parse().unwrap()).await.unwrap().tracking_code;
    (id, parcel, code)
}

async fn guest_request(app: &TestApp, code: &str, body: &Value) -> reqwest::Response {
    app.http.post(app.url(&format!("/api/v1/tracking/{code}/requests"))).json(body).send().await.unwrap()
}

async fn order(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/api/v1/orders/{id}"), &app.admin_token).await.json().await.unwrap()
}

async fn resolved_notices(app: &TestApp, order_id: &str) -> Vec<Notification> {
    let all = app.notifications(order_id.parse().unwrap()).await;
    all.into_iter().filter(|n| n.event == NotificationEvent::RequestResolved).collect()
}

async fn resolve(app: &TestApp, request_id: &str, status: &str, reply: &str) -> reqwest::Response {
    let body = json!({"status": status, "resolution": reply});
    app.post(&format!("/api/v1/requests/{request_id}/resolve"), &app.csr_token, &body).await
}

/// The plain-text body of the one email `to` received with `subject_part`.
fn email_text(app: &TestApp, to: &str) -> Vec<String> {
    app.smtp
        .received()
        .iter()
        .filter(|m| m.to == [to])
        .flat_map(|m| m.parts().into_iter().filter(|(mime, _)| mime == "text/plain").map(|(_, body)| body))
        .collect()
}

fn in_days(days: i64) -> NaiveDate {
    Utc::now().date_naive() + Duration::days(days)
}

#[tokio::test]
async fn an_address_change_moves_the_order_at_once_and_tells_the_shopper_in_their_language() {
    let app = TestApp::spawn().await;
    let (order_id, _, code) = guest_with_parcel(&app, "SO-ADDR", "es", "111122223333").await;
    let before = order(&app, &order_id).await;
    let address = json!({"kind": "change_address", "address": {
        "name": "Ana Ruiz", "line1": "Calle Nueva 7", "city": "Sevilla", "postal_code": "41001", "country": "es"}});
    let res = guest_request(&app, &code, &address).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
    let request: Value = res.json().await.unwrap();
    assert_eq!(request["status"], "applied");
    assert_eq!(request["details"]["previous_address"]["line1"], "1 Test Street");

    let after = order(&app, &order_id).await;
    assert_eq!(after["shipping_address"]["line1"], "Calle Nueva 7");
    assert_eq!(after["shipping_address"]["city"], "Sevilla");
    assert_eq!(after["shipping_address"]["country"], "ES");
    assert_eq!(after["version"].as_i64().unwrap(), before["version"].as_i64().unwrap() + 1);
    let timeline: Vec<Value> =
        app.get(&format!("/api/v1/orders/{order_id}/timeline"), &app.admin_token).await.json().await.unwrap();
    assert!(timeline.iter().any(|e| e["kind"] == "customer_request"), "the change is in the history");

    let notices = resolved_notices(&app, &order_id).await;
    assert_eq!(notices.len(), 1, "one confirmation of the change");
    assert_eq!(notices[0].payload["reason_code"], "address_changed");
    assert_eq!(notices[0].locale.as_str(), "es");
    app.run_pending_jobs().await;
    let mails = email_text(&app, "SO-ADDR@example.com");
    let confirmation = mails.iter().find(|m| m.contains("Calle Nueva 7")).expect("an email naming the new address");
    assert!(!confirmation.contains("Unsubscribe"), "in Spanish, not English: {confirmation}");
    assert!(app.get("/api/v1/requests", &app.csr_token).await.json::<Value>().await.unwrap()["requests"]
        .as_array()
        .unwrap()
        .is_empty());

    // Out for delivery: too late, and nothing changes.
    app.set_status(&order_id, "shipped").await;
    app.set_status(&order_id, "out_for_delivery").await;
    let again = json!({"kind": "change_address", "address": {
        "name": "Ana Ruiz", "line1": "Otra Calle 9", "city": "Cádiz", "postal_code": "11001", "country": "ES"}});
    let res = guest_request(&app, &code, &again).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "too_late");
    assert_eq!(order(&app, &order_id).await["shipping_address"]["line1"], "Calle Nueva 7");
    app.stop().await;
}

#[tokio::test]
async fn a_confirmed_reschedule_moves_the_estimate_and_delay_detection_holds_to_it() {
    let app = TestApp::spawn().await;
    let (order_id, parcel, code) = guest_with_parcel(&app, "SO-RESCH", "en", "444455556666").await;
    let (peer_id, peer, _) = guest_with_parcel(&app, "SO-PEER", "en", "777788889999").await;
    let passed = Utc::now() - Duration::hours(5);
    set_eta(&app, parcel, passed).await;
    set_eta(&app, peer, passed).await;

    // FedEx holds a parcel up to 5 days past its planned delivery (today here).
    let res = guest_request(&app, &code, &json!({"kind": "reschedule", "date": in_days(6)})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "date");
    let date = in_days(2);
    let res = guest_request(&app, &code, &json!({"kind": "reschedule", "date": date})).await;
    assert_eq!(res.status(), 201);
    let request: Value = res.json().await.unwrap();
    assert_eq!(request["status"], "open", "customer service agrees it with the carrier first");
    assert_eq!(order(&app, &order_id).await["estimated_delivery_at"], "2030-01-10T12:00:00Z");

    let res = resolve(&app, request["id"].as_str().unwrap(), "resolved", "FedEx confirmed it.").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let estimate = order(&app, &order_id).await["estimated_delivery_at"].as_str().unwrap().to_owned();
    assert!(estimate.starts_with(&date.to_string()), "{estimate}");
    let moved = shipment(&app, parcel).await;
    assert_eq!(moved.rescheduled_to, Some(date));
    assert_eq!(moved.estimated_delivery_at.unwrap().date_naive(), date);
    let notices = resolved_notices(&app, &order_id).await;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].payload["reason_code"], "reschedule_confirmed");
    assert_eq!(notices[0].payload["message"], "FedEx confirmed it.");

    // Delay detection: only the peer, whose estimate still lies in the past, is late.
    let ctx = ordertrack_worker::context(app.worker_config.clone()).unwrap();
    assert_eq!(ordertrack_worker::jobs::detect_delays::detect_delays(&ctx).await.unwrap(), 1);
    let conn = app.db.get().await.unwrap();
    assert!(ShipmentIssue::for_order(&conn, order_id.parse().unwrap()).await.unwrap().is_empty());
    assert_eq!(ShipmentIssue::for_order(&conn, peer_id.parse().unwrap()).await.unwrap().len(), 1);
    drop(conn);

    // The carrier's older estimate does not pull the agreed date back, nor count as a delay.
    let tomorrow = format!("{}T18:00:00Z", in_days(1));
    let scan = vec![fedex_scan(&Utc::now().to_rfc3339(), "IT", "In transit", "")];
    assert!(post_fedex(&app, &fedex_payload("444455556666", scan, Some(&tomorrow))).await.status().is_success());
    app.run_pending_jobs().await;
    assert_eq!(shipment(&app, parcel).await.estimated_delivery_at.unwrap().date_naive(), date);
    let conn = app.db.get().await.unwrap();
    assert!(ShipmentIssue::for_order(&conn, order_id.parse().unwrap()).await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_resolution_reaches_the_shopper_and_a_rejection_changes_nothing() {
    let app = TestApp::spawn().await;
    let (order_id, parcel, code) = guest_with_parcel(&app, "SO-RU", "ru", "121212121212").await;
    let res =
        guest_request(&app, &code, &json!({"kind": "contact_support", "message": "Коробка может быть повреждена"}))
            .await;
    let support: Value = res.json().await.unwrap();
    let reply = "Мы проверили посылку: всё в порядке.";
    assert_eq!(resolve(&app, support["id"].as_str().unwrap(), "resolved", reply).await.status(), 200);
    let again = resolve(&app, support["id"].as_str().unwrap(), "rejected", "no").await;
    assert_eq!(again.status(), 409, "closed once");

    let res = guest_request(&app, &code, &json!({"kind": "reschedule", "date": in_days(3)})).await;
    let reschedule: Value = res.json().await.unwrap();
    let before = order(&app, &order_id).await;
    let res =
        resolve(&app, reschedule["id"].as_str().unwrap(), "rejected", "Курьер не может перенести доставку.").await;
    assert_eq!(res.status(), 200);
    let after = order(&app, &order_id).await;
    assert_eq!(after["estimated_delivery_at"], before["estimated_delivery_at"]);
    assert_eq!(after["version"], before["version"]);
    assert_eq!(shipment(&app, parcel).await.rescheduled_to, None);

    let codes: Vec<String> = resolved_notices(&app, &order_id)
        .await
        .iter()
        .map(|n| n.payload["reason_code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["support_answered", "reschedule_declined"]);
    app.run_pending_jobs().await;
    let mails = email_text(&app, "SO-RU@example.com");
    assert!(mails.iter().any(|m| m.contains(reply)), "the reply itself reaches the shopper");

    // The shopper reads the reply on their timeline (through the tracking link).
    let view: Value =
        app.http.get(app.url(&format!("/api/v1/tracking/{code}"))).send().await.unwrap().json().await.unwrap();
    let answered =
        view["timeline"].as_array().unwrap().iter().any(|e| e["kind"] == "request_resolved" && e["detail"] == reply);
    assert!(answered, "{view}");
    assert_rebuild_keeps_the_timeline(&app, order_id.parse().unwrap(), &[0, 1, 4, 5]).await;
    app.stop().await;
}

#[tokio::test]
async fn the_available_actions_say_what_may_be_asked_and_why_not() {
    let app = TestApp::spawn().await;
    let (order_id, parcel, code) = guest_with_parcel(&app, "SO-ACT", "en", "343434343434").await;
    set_eta(&app, parcel, Utc::now() + Duration::days(2)).await;
    let guest = |path: String| {
        let url = app.url(&path);
        let http = app.http.clone();
        async move { http.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let actions = guest(format!("/api/v1/tracking/{code}/actions")).await;
    assert_eq!(actions["reschedule"]["allowed"], true);
    // FedEx holds 5 days past the planned delivery, two days out.
    assert_eq!(actions["reschedule"]["window"], json!({"earliest": in_days(1), "latest": in_days(7)}));
    assert_eq!(actions["reschedule"]["shipment_id"], parcel.to_string());
    assert_eq!(actions["change_address"], json!({"allowed": true}));
    let owner_view: Value =
        app.get(&format!("/api/v1/orders/{order_id}/actions"), &app.csr_token).await.json().await.unwrap();
    assert_eq!(owner_view, actions, "the same rule for staff and guests");
    // The window's edges are what the request endpoint accepts.
    let res = guest_request(&app, &code, &json!({"kind": "reschedule", "date": in_days(8)})).await;
    assert_eq!(res.status(), 422);
    let res = guest_request(&app, &code, &json!({"kind": "reschedule", "date": in_days(7)})).await;
    assert_eq!(res.status(), 201);

    app.set_status(&order_id, "shipped").await;
    app.set_status(&order_id, "out_for_delivery").await;
    let actions = guest(format!("/api/v1/tracking/{code}/actions")).await;
    assert_eq!(actions["change_address"], json!({"allowed": false, "reason": "too_late"}));
    let (closed_id, _, closed_code) = guest_with_parcel(&app, "SO-ACT2", "en", "565656565656").await;
    app.set_status(&closed_id, "cancelled").await;
    let actions = guest(format!("/api/v1/tracking/{closed_code}/actions")).await;
    for action in ["reschedule", "change_address", "contact_support"] {
        assert_eq!(actions[action]["reason"], "order_closed", "{action}");
    }
    let res = guest_request(&app, &closed_code, &json!({"kind": "contact_support", "message": "hello"})).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "order_closed");
    app.stop().await;
}
