use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ordertrack_shared::models::{AuditEntry, Shipment};
use ordertrack_shared::schema::{carrier_receipts, tracking_events};
use ordertrack_shared::webhooks::carriers::{sign_fedex, sign_timestamped};
use ordertrack_tests::timeline::assert_rebuild_keeps_the_timeline;
use ordertrack_tests::{
    guest_order, Options, TestApp, DHL_WEBHOOK_API_KEY, FEDEX_WEBHOOK_SECRET, OWN_SIGNING_SECRET,
    UPS_WEBHOOK_CREDENTIAL,
};
use serde_json::{json, Value};
use uuid::Uuid;

pub const FEDEX_NUMBER: &str = "123456789012";

/// An order with one parcel of `carrier`; returns (order id, shipment id).
pub async fn order_with_parcel(app: &TestApp, number: &str, carrier: &str, tracking: &str) -> (String, Uuid) {
    let order = app.create_order(&guest_order(number, "shopper@example.com", "en")).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let res = app
        .post(
            &format!("/api/v1/orders/{id}/shipments"),
            &app.service_token,
            &json!({"carrier": carrier, "tracking_number": tracking}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let shipment: Value = res.json().await.unwrap();
    (id, shipment["id"].as_str().unwrap().parse().unwrap())
}

pub fn fedex_scan(at: &str, code: &str, description: &str, exception: &str) -> Value {
    json!({
        "date": at, "eventType": code, "derivedStatusCode": code, "eventDescription": description,
        "exceptionCode": exception, "exceptionDescription": "",
        "scanLocation": {"city": "MEMPHIS", "stateOrProvinceCode": "TN", "countryCode": "US"}
    })
}

pub fn fedex_payload(number: &str, scans: Vec<Value>, eta: Option<&str>) -> Value {
    let mut dates = Vec::new();
    if let Some(eta) = eta {
        dates.push(json!({"type": "ESTIMATED_DELIVERY", "dateTime": eta}));
    }
    json!({"output": {"completeTrackResults": [{"trackingNumber": number, "trackResults": [{
        "trackingNumberInfo": {"trackingNumber": number},
        "dateAndTimes": dates,
        "scanEvents": scans
    }]}]}})
}

pub async fn post_fedex(app: &TestApp, body: &Value) -> reqwest::Response {
    let raw = serde_json::to_vec(body).unwrap();
    app.http
        .post(app.url("/webhooks/fedex"))
        .header("content-type", "application/json")
        .header("fdx-signature", sign_fedex(&raw, FEDEX_WEBHOOK_SECRET))
        .body(raw)
        .send()
        .await
        .unwrap()
}

pub async fn shipment(app: &TestApp, id: Uuid) -> Shipment {
    let mut conn = app.db.get().await.unwrap();
    Shipment::find(&mut conn, id).await.unwrap()
}

async fn order_status(app: &TestApp, order_id: &str) -> String {
    let order: Value = app.get(&format!("/api/v1/orders/{order_id}"), &app.admin_token).await.json().await.unwrap();
    order["status"].as_str().unwrap().to_owned()
}

async fn receipts(app: &TestApp) -> i64 {
    let mut conn = app.db.get().await.unwrap();
    carrier_receipts::table.count().get_result(&mut conn).await.unwrap()
}

#[tokio::test]
async fn a_fedex_webhook_becomes_the_normalized_timeline_and_moves_the_order() {
    let app = TestApp::spawn().await;
    let (order_id, shipment_id) = order_with_parcel(&app, "SO-F", "fedex", FEDEX_NUMBER).await;
    let body = fedex_payload(
        FEDEX_NUMBER,
        vec![
            fedex_scan("2030-09-24T08:12:00-05:00", "PU", "Picked up", ""),
            fedex_scan("2030-09-24T20:40:00-05:00", "AR", "Arrived at FedEx location", ""),
            fedex_scan("2030-09-25T07:05:00-05:00", "OD", "On FedEx vehicle for delivery", ""),
            fedex_scan("2030-09-25T13:30:00-05:00", "DL", "Delivered", ""),
        ],
        Some("2030-09-25T20:00:00-05:00"),
    );
    let res = post_fedex(&app, &body).await;
    assert_eq!(res.status(), 202);
    assert_eq!(res.json::<Value>().await.unwrap()["duplicate"], false);
    app.run_pending_jobs().await;
    assert_eq!(shipment(&app, shipment_id).await.tracking_status, "delivered");
    assert_eq!(order_status(&app, &order_id).await, "delivered");

    let timeline: Vec<Value> =
        app.get(&format!("/api/v1/orders/{order_id}/timeline"), &app.csr_token).await.json().await.unwrap();
    let scans: Vec<(&str, &str)> = timeline
        .iter()
        .filter(|e| e["kind"] == "carrier_event")
        .map(|e| (e["tracking_status"].as_str().unwrap(), e["location"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        scans.iter().map(|s| s.0).collect::<Vec<_>>(),
        ["in_transit", "in_transit", "out_for_delivery", "delivered"]
    );
    assert!(scans[0].1.contains("MEMPHIS"), "{scans:?}");
    let steps: Vec<&str> =
        timeline.iter().filter(|e| e["kind"] == "status_change").map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(steps, ["confirmed", "shipped", "delivered"], "the order walks the workflow by the shortest path");
    let parcel = shipment(&app, shipment_id).await;
    assert_eq!(parcel.estimated_delivery_at.unwrap(), "2030-09-26T01:00:00Z".parse::<DateTime<Utc>>().unwrap());
    assert!(parcel.last_webhook_at.is_some());
    // The shopper heard about it.
    assert!(app.smtp.received().iter().any(|m| m.subject().to_lowercase().contains("delivered")));

    // The same body again is acknowledged, not processed twice.
    let again = post_fedex(&app, &body).await;
    assert_eq!(again.json::<Value>().await.unwrap()["duplicate"], true);
    assert_eq!(receipts(&app).await, 1);
    assert_rebuild_keeps_the_timeline(&app, order_id.parse().unwrap(), &[0, 1, 2]).await;
    app.stop().await;
}

#[tokio::test]
async fn ups_and_dhl_pushes_are_verified_and_normalized() {
    let app = TestApp::spawn().await;
    let (ups_order, ups_parcel) = order_with_parcel(&app, "SO-U", "ups", "1Z999AA10123456784").await;
    let (dhl_order, dhl_parcel) = order_with_parcel(&app, "SO-D", "dhl", "1234567890").await;
    let alert = json!({
        "trackingNumber": "1Z999AA10123456784",
        "localActivityDate": "20260924", "localActivityTime": "143000",
        "gmtActivityDate": "20260924", "gmtActivityTime": "183000",
        "activityLocation": {"city": "Louisville", "stateProvince": "KY", "country": "US"},
        "activityStatus": {"type": "I", "code": "OR", "description": "Origin Scan"},
        "scheduledDeliveryDate": "20260926", "actualDeliveryDate": "", "actualDeliveryTime": ""
    });
    let res = app
        .http
        .post(app.url("/webhooks/ups"))
        .header("credential", UPS_WEBHOOK_CREDENTIAL)
        .json(&alert)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let dhl = json!({"shipments": [{
        "id": "1234567890", "service": "express",
        "status": {"timestamp": "2026-09-24T14:30:00Z", "statusCode": "transit", "status": "PROCESSED AT LOCATION",
                   "description": "Processed at Leipzig", "location": {"address": {"addressLocality": "Leipzig - Germany", "countryCode": "DE"}}},
        "estimatedTimeOfDelivery": "2026-09-26T18:00:00Z",
        "events": [{"timestamp": "2026-09-24T14:30:00Z", "statusCode": "transit", "status": "PROCESSED AT LOCATION",
                    "description": "Processed at Leipzig", "location": {"address": {"addressLocality": "Leipzig - Germany", "countryCode": "DE"}}}]
    }]});
    let res = app
        .http
        .post(app.url("/webhooks/dhl"))
        .header("DHL-API-Key", DHL_WEBHOOK_API_KEY)
        .json(&dhl)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    app.run_pending_jobs().await;
    assert_eq!(shipment(&app, ups_parcel).await.tracking_status, "in_transit");
    assert_eq!(shipment(&app, dhl_parcel).await.tracking_status, "in_transit");
    assert_eq!(order_status(&app, &ups_order).await, "in_transit");
    assert_eq!(order_status(&app, &dhl_order).await, "in_transit");
    let parcel = shipment(&app, ups_parcel).await;
    assert_eq!(
        parcel.last_event_at.unwrap(),
        "2026-09-24T18:30:00Z".parse::<DateTime<Utc>>().unwrap(),
        "GMT time is used"
    );
    app.stop().await;
}

#[tokio::test]
async fn forged_oversized_or_unallowed_webhooks_are_refused_and_nothing_is_stored() {
    let allow = ordertrack_shared::webhooks::IpAllowlist::parse("10.0.0.0/8").unwrap();
    let app = TestApp::spawn_with(Options {
        webhook_allowlists: vec![(ordertrack_shared::domain::Carrier::Dhl, allow)],
        ..Options::default()
    })
    .await;
    order_with_parcel(&app, "SO-F", "fedex", FEDEX_NUMBER).await;
    let body = fedex_payload(FEDEX_NUMBER, vec![fedex_scan("2030-09-24T08:12:00-05:00", "PU", "Picked up", "")], None);
    let raw = serde_json::to_vec(&body).unwrap();
    let signature = sign_fedex(&raw, FEDEX_WEBHOOK_SECRET);
    let mut tampered = raw.clone();
    let pos = tampered.iter().position(|b| *b == b'P').unwrap();
    tampered[pos] = b'D';
    let send = |carrier: &str, body: Vec<u8>, headers: Vec<(&'static str, String)>| {
        let mut request = app
            .http
            .post(app.url(&format!("/webhooks/{carrier}")))
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let cases = [
        ("fedex", tampered.clone(), vec![("fdx-signature", signature.clone())], 401),
        ("fedex", raw.clone(), vec![("fdx-signature", sign_fedex(&raw, "wrong-secret"))], 401),
        ("fedex", raw.clone(), vec![], 401),
        ("ups", raw.clone(), vec![("credential", "guess".to_owned())], 401),
        ("dhl", raw.clone(), vec![("DHL-API-Key", DHL_WEBHOOK_API_KEY.to_owned())], 403),
        ("fedex", vec![b' '; 70 * 1024], vec![("fdx-signature", signature.clone())], 413),
        ("royalmail", raw.clone(), vec![], 404),
    ];
    for (carrier, body, headers, status) in cases {
        let res = send(carrier, body, headers).await.unwrap();
        assert_eq!(res.status(), status, "{carrier}");
    }
    let not_json = b"not json".to_vec();
    let res = send("fedex", not_json.clone(), vec![("fdx-signature", sign_fedex(&not_json, FEDEX_WEBHOOK_SECRET))])
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(receipts(&app).await, 0, "nothing stored");
    let mut conn = app.db.get().await.unwrap();
    // One row per rejected webhook, and one per IP and reason a minute: the
    // two "bad fdx-signature" refusals share a row.
    assert_eq!(AuditEntry::by_action(&mut conn, "webhook.signature_rejected").await.unwrap().len(), 3);
    assert_eq!(AuditEntry::by_action(&mut conn, "webhook.ip_denied").await.unwrap().len(), 1);
    let events: i64 = tracking_events::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(events, 0);
    app.stop().await;
}

#[tokio::test]
async fn our_own_senders_sign_with_a_timestamp_and_rotating_secrets() {
    let app = TestApp::spawn().await;
    order_with_parcel(&app, "SO-F", "fedex", FEDEX_NUMBER).await;
    let now = Utc::now().timestamp();
    let mut accepted = 0;
    for (i, (secret, t, status)) in [
        (OWN_SIGNING_SECRET, now, 202),
        ("old-signing-secret", now - 10, 202),
        (OWN_SIGNING_SECRET, now - 301, 401),
        ("never-configured", now, 401),
    ]
    .into_iter()
    .enumerate()
    {
        let body = fedex_payload(
            FEDEX_NUMBER,
            vec![fedex_scan(&format!("2026-09-24T08:1{i}:00Z"), "PU", "Picked up", "")],
            None,
        );
        let raw = serde_json::to_vec(&body).unwrap();
        let res = app
            .http
            .post(app.url("/webhooks/fedex"))
            .header("Ordertrack-Signature", sign_timestamped(secret, t, &raw))
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "case {i}");
        accepted += usize::from(status == 202);
    }
    assert_eq!(receipts(&app).await, accepted as i64);
    app.stop().await;
}

#[tokio::test]
async fn late_duplicate_and_shuffled_events_give_the_same_result_as_in_order() {
    let app = TestApp::spawn().await;
    let scans = [
        ("2026-09-24T08:00:00Z", "PU", "Picked up"),
        ("2026-09-24T20:00:00Z", "AR", "Arrived at hub"),
        ("2026-09-25T06:00:00Z", "DP", "Departed hub"),
        ("2026-09-25T09:00:00Z", "OD", "Out for delivery"),
        ("2026-09-25T13:00:00Z", "DL", "Delivered"),
    ];
    let (order_a, parcel_a) = order_with_parcel(&app, "SO-A", "fedex", "111111111111").await;
    let (order_b, parcel_b) = order_with_parcel(&app, "SO-B", "fedex", "222222222222").await;
    // A: in order, one per webhook.
    for (at, code, text) in scans {
        post_fedex(&app, &fedex_payload("111111111111", vec![fedex_scan(at, code, text, "")], None)).await;
    }
    // B: delivered first, then the rest shuffled and repeated.
    for batch in [vec![4], vec![2, 0], vec![3, 3, 1], vec![0, 4]] {
        let events = batch.iter().map(|&i| fedex_scan(scans[i].0, scans[i].1, scans[i].2, "")).collect();
        post_fedex(&app, &fedex_payload("222222222222", events, None)).await;
    }
    app.run_pending_jobs().await;
    assert_eq!(event_count(&app, parcel_a).await, 5);
    assert_eq!(event_count(&app, parcel_b).await, 5);
    assert_eq!(history(&app, parcel_a).await, history(&app, parcel_b).await);
    assert_eq!(shipment(&app, parcel_a).await.tracking_status, "delivered");
    assert_eq!(shipment(&app, parcel_b).await.tracking_status, "delivered");
    assert_eq!(order_status(&app, &order_b).await, "delivered");
    assert_eq!(order_status(&app, &order_a).await, "delivered");

    // A scan dated after delivery that says "in transit" is kept, not applied.
    post_fedex(
        &app,
        &fedex_payload("222222222222", vec![fedex_scan("2026-09-26T08:00:00Z", "IT", "In transit", "")], None),
    )
    .await;
    app.run_pending_jobs().await;
    assert_eq!(event_count(&app, parcel_b).await, 6);
    assert_eq!(shipment(&app, parcel_b).await.tracking_status, "delivered");
    let mut conn = app.db.get().await.unwrap();
    let applied: Vec<bool> = tracking_events::table
        .filter(tracking_events::shipment_id.eq(parcel_b))
        .order(tracking_events::occurred_at.desc())
        .select(tracking_events::applied)
        .limit(1)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(applied, [false]);
    app.stop().await;
}

async fn event_count(app: &TestApp, parcel: Uuid) -> i64 {
    let mut conn = app.db.get().await.unwrap();
    tracking_events::table.filter(tracking_events::shipment_id.eq(parcel)).count().get_result(&mut conn).await.unwrap()
}

async fn history(app: &TestApp, parcel: Uuid) -> Vec<(String, DateTime<Utc>)> {
    let mut conn = app.db.get().await.unwrap();
    tracking_events::table
        .filter(tracking_events::shipment_id.eq(parcel))
        .order(tracking_events::occurred_at.asc())
        .select((tracking_events::status, tracking_events::occurred_at))
        .load(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_allowlisted_carrier_behind_a_trusted_proxy_is_recognized_by_its_forwarded_address() {
    let allow = ordertrack_shared::webhooks::IpAllowlist::parse("10.0.0.0/8").unwrap();
    let app = TestApp::spawn_with(Options {
        webhook_allowlists: vec![(ordertrack_shared::domain::Carrier::Dhl, allow)],
        trusted_proxies: "127.0.0.1/32".into(),
        ..Options::default()
    })
    .await;
    let body = json!({"shipments": []});
    let send = |forwarded: &'static str| {
        app.http
            .post(app.url("/webhooks/dhl"))
            .header("DHL-API-Key", DHL_WEBHOOK_API_KEY)
            .header("X-Forwarded-For", forwarded)
            .json(&body)
            .send()
    };
    assert_eq!(send("10.20.30.40").await.unwrap().status(), 202, "the carrier, forwarded by our proxy");
    assert_eq!(send("203.0.113.9").await.unwrap().status(), 403, "anyone else");
    assert_eq!(send("10.1.1.1, 203.0.113.9").await.unwrap().status(), 403, "a spoofed hop before the real client");
    app.stop().await;
}

#[tokio::test]
async fn an_unreadable_receipt_stays_visible_and_can_be_reprocessed() {
    let app = TestApp::spawn().await;
    let body = json!({"unexpected": "shape"});
    let res = app
        .http
        .post(app.url("/webhooks/dhl"))
        .header("DHL-API-Key", DHL_WEBHOOK_API_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let receipt_id = res.json::<Value>().await.unwrap()["receipt_id"].as_str().unwrap().to_owned();
    let failed = || async {
        let page: Value = app.get("/api/v1/admin/carrier-receipts", &app.csr_token).await.json().await.unwrap();
        page["receipts"].as_array().unwrap().clone().into_iter().find(|r| r["id"] == receipt_id.as_str())
    };
    app.run_pending_jobs().await;
    let receipt = failed().await.expect("the unreadable receipt is listed");
    assert_eq!(receipt["attempts"], 1);
    assert!(receipt["last_error"].as_str().unwrap().contains("shipments"), "{receipt}");
    assert!(receipt["body"].as_str().unwrap().contains("unexpected"), "kept exactly as received");

    let path = format!("/api/v1/admin/carrier-receipts/{receipt_id}/reprocess");
    assert_eq!(app.post(&path, &app.csr_token, &json!({})).await.status(), 403);
    assert_eq!(app.post(&path, &app.admin_token, &json!({})).await.status(), 202);
    app.run_pending_jobs().await;
    assert_eq!(failed().await.expect("still listed")["attempts"], 2);
    app.stop().await;
}

/// Walks a cursor-paginated list (`key` holds the rows) `limit` rows at a
/// time; returns every row's id in page order and the page sizes.
pub async fn walk_pages(app: &TestApp, path: &str, key: &str, limit: usize) -> (Vec<String>, Vec<usize>) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (mut ids, mut sizes, mut cursor) = (Vec::new(), Vec::new(), None::<String>);
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            None => format!("{path}{sep}limit={limit}"),
        };
        let res = app.get(&url, &app.admin_token).await;
        assert_eq!(res.status(), 200, "{url}");
        let page: Value = res.json().await.unwrap();
        let rows = page[key].as_array().unwrap_or_else(|| panic!("{url}: no {key} in {page}"));
        sizes.push(rows.len());
        ids.extend(rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(sizes.len() < 100, "the pages never end");
    }
    (ids, sizes)
}

/// Asserts that a list answers 400 naming the field for a bad `limit` or `cursor`.
pub async fn refuses_bad_paging(app: &TestApp, path: &str) {
    for (query, field) in [("limit=0", Some("limit")), ("limit=101", Some("limit")), ("cursor=garbage", Some("cursor"))]
    {
        let res = app.get(&format!("{path}?{query}"), &app.admin_token).await;
        assert_eq!(res.status(), 400, "{path}?{query}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["field"].as_str(), field, "{path}?{query}: {body}");
    }
    assert_eq!(app.get(&format!("{path}?limit=many"), &app.admin_token).await.status(), 400);
}

#[tokio::test]
async fn receipts_page_by_cursor_and_every_receipt_appears_once() {
    let app = TestApp::spawn().await;
    let post = |body: Value| {
        app.http.post(app.url("/webhooks/dhl")).header("DHL-API-Key", DHL_WEBHOOK_API_KEY).json(&body).send()
    };
    let mut failed = Vec::new();
    for i in 0..7 {
        let res = post(json!({"unexpected": i})).await.unwrap();
        assert_eq!(res.status(), 202);
        failed.push(res.json::<Value>().await.unwrap()["receipt_id"].as_str().unwrap().to_owned());
    }
    let processed = post(json!({"shipments": []})).await.unwrap().json::<Value>().await.unwrap();
    app.run_pending_jobs().await;

    let (ids, sizes) = walk_pages(&app, "/api/v1/admin/carrier-receipts", "receipts", 3).await;
    assert_eq!(sizes, [3, 3, 1]);
    failed.reverse();
    assert_eq!(ids, failed, "newest first, each failed receipt exactly once");
    let (ids, _) = walk_pages(&app, "/api/v1/admin/carrier-receipts?status=processed", "receipts", 3).await;
    assert_eq!(ids, [processed["receipt_id"].as_str().unwrap()]);
    let (ids, sizes) = walk_pages(&app, "/api/v1/admin/carrier-receipts", "receipts", 7).await;
    assert_eq!((ids.len(), sizes), (7, vec![7]), "an exact last page has no next cursor");
    refuses_bad_paging(&app, "/api/v1/admin/carrier-receipts").await;
    app.stop().await;
}

/// The order's timeline, as staff see it.
async fn timeline(app: &TestApp, order_id: &str) -> Vec<Value> {
    let res = app.get(&format!("/api/v1/orders/{order_id}/timeline"), &app.admin_token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// The parcel statuses of the order's carrier events, in timeline order.
async fn scans(app: &TestApp, order_id: &str) -> Vec<String> {
    timeline(app, order_id)
        .await
        .iter()
        .filter(|e| e["kind"] == "carrier_event")
        .map(|e| e["tracking_status"].as_str().unwrap().to_owned())
        .collect()
}

async fn simulate(app: &TestApp, tick: i64) {
    app.run_job(ordertrack_shared::jobs::MaintenanceJob::SimulateCarriers { tick }).await;
}

#[tokio::test]
async fn the_simulated_carrier_never_moves_a_delivered_parcel() {
    let app = TestApp::spawn().await;
    let (delivered, delivered_parcel) = order_with_parcel(&app, "SO-SIM-D", "fedex", FEDEX_NUMBER).await;
    let now = Utc::now();
    let at = |hours: i64| (now - chrono::Duration::hours(hours)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let story = vec![fedex_scan(&at(30), "PU", "Picked up", ""), fedex_scan(&at(2), "DL", "Delivered", "")];
    assert_eq!(post_fedex(&app, &fedex_payload(FEDEX_NUMBER, story, None)).await.status(), 202);
    // An order staff marked delivered while its parcel never reported a scan.
    let (settled, settled_parcel) = order_with_parcel(&app, "SO-SIM-S", "fedex", "223456789012").await;
    for status in ["shipped", "out_for_delivery", "delivered"] {
        app.set_status(&settled, status).await;
    }
    // And one parcel on its way, which the simulation does move.
    let (moving, moving_parcel) = order_with_parcel(&app, "SO-SIM-M", "fedex", "323456789012").await;
    app.run_pending_jobs().await;
    assert_eq!(shipment(&app, delivered_parcel).await.tracking_status, "delivered");
    assert_eq!(order_status(&app, &delivered).await, "delivered");
    let before = (timeline(&app, &delivered).await, timeline(&app, &settled).await);

    for tick in 1..=4 {
        simulate(&app, tick).await;
    }
    assert_eq!(timeline(&app, &delivered).await, before.0, "no scan after delivery");
    assert_eq!(shipment(&app, delivered_parcel).await.tracking_status, "delivered");
    assert_eq!(timeline(&app, &settled).await, before.1, "nothing contradicts a delivered order");
    assert_eq!(shipment(&app, settled_parcel).await.tracking_status, "pre_transit");
    assert_eq!(scans(&app, &moving).await, ["in_transit", "out_for_delivery", "delivered"]);
    assert_eq!(shipment(&app, moving_parcel).await.tracking_status, "delivered");
    assert_eq!(order_status(&app, &moving).await, "delivered");
    let moved_on = timeline(&app, &moving).await;
    simulate(&app, 5).await;
    assert_eq!(timeline(&app, &moving).await, moved_on, "once delivered, the simulation stops");
    app.stop().await;
}

/// `api seed-demo`'s orders agree with their parcels, and the simulated
/// carrier carries each story on from where it is.
#[tokio::test]
async fn demo_orders_tell_consistent_stories_the_simulator_continues() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.get().await.unwrap();
    ordertrack_api::demo::seed(&mut conn, &app.enqueuer()).await.unwrap();
    ordertrack_api::demo::seed(&mut conn, &app.enqueuer()).await.unwrap();
    drop(conn);
    app.run_pending_jobs().await;
    let stories = [
        ("DEMO-1002", "in_transit", vec!["pre_transit", "in_transit"]),
        ("DEMO-1003", "shipped", vec!["pre_transit"]),
        ("DEMO-1004", "delivered", vec!["pre_transit", "in_transit", "out_for_delivery", "delivered"]),
    ];
    let mut ids = Vec::new();
    for (number, status, expected) in &stories {
        let page: Value = app.get(&format!("/api/v1/orders?q={number}"), &app.admin_token).await.json().await.unwrap();
        let found = page["orders"].as_array().unwrap();
        assert_eq!(found.len(), 1, "{number} is seeded once");
        let id = found[0]["id"].as_str().unwrap().to_owned();
        assert_eq!(order_status(&app, &id).await, *status, "{number}");
        assert_eq!(scans(&app, &id).await, *expected, "{number}");
        let entries = timeline(&app, &id).await;
        let times: Vec<&str> = entries.iter().map(|e| e["occurred_at"].as_str().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{number}: {times:?}");
        let added = entries.iter().position(|e| e["kind"] == "shipment_added").unwrap();
        let first_scan = entries.iter().position(|e| e["kind"] == "carrier_event").unwrap();
        assert!(added < first_scan, "{number}: the parcel exists before its first scan");
        let last_change = entries.iter().rev().find(|e| e["kind"] == "status_change").unwrap();
        assert_eq!(last_change["status"], *status, "{number}");
        ids.push(id);
    }
    let untouched = timeline(&app, &ids[2]).await;

    simulate(&app, 1).await;
    assert_eq!(scans(&app, &ids[0]).await, ["pre_transit", "in_transit", "out_for_delivery"]);
    assert_eq!(order_status(&app, &ids[0]).await, "out_for_delivery");
    assert_eq!(scans(&app, &ids[1]).await, ["pre_transit", "in_transit"]);
    assert_eq!(order_status(&app, &ids[1]).await, "in_transit");
    assert_eq!(timeline(&app, &ids[2]).await, untouched, "the delivered DEMO-1004 gets no scan");
    app.stop().await;
}
