use std::time::Duration;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ordertrack_shared::domain::NotificationEvent;
use ordertrack_shared::jobs::MaintenanceJob;
use ordertrack_shared::models::ShipmentIssue;
use ordertrack_shared::schema::shipments;
use ordertrack_tests::timeline::assert_rebuild_keeps_the_timeline;
use ordertrack_tests::{Options, TestApp};
use serde_json::Value;
use uuid::Uuid;

use crate::carriers::{fedex_payload, fedex_scan, order_with_parcel, post_fedex, FEDEX_NUMBER};

async fn issues(app: &TestApp, order_id: &str) -> Vec<ShipmentIssue> {
    let conn = app.db.get().await.unwrap();
    ShipmentIssue::for_order(&conn, order_id.parse().unwrap()).await.unwrap()
}

async fn delay_notices(app: &TestApp, order_id: &str, event: NotificationEvent) -> usize {
    app.notifications(order_id.parse().unwrap()).await.iter().filter(|n| n.event == event).count()
}

pub async fn set_eta(app: &TestApp, parcel: Uuid, eta: chrono::DateTime<chrono::Utc>) {
    let mut conn = app.db.get().await.unwrap();
    diesel::update(shipments::table.find(parcel))
        .set(shipments::estimated_delivery_at.eq(eta))
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_passed_estimate_is_detected_and_announced_once() {
    let app = TestApp::spawn().await;
    let (order_id, parcel) = order_with_parcel(&app, "SO-L", "fedex", FEDEX_NUMBER).await;
    set_eta(&app, parcel, chrono::Utc::now() - chrono::Duration::hours(5)).await;
    let ctx = ordertrack_worker::context(app.worker_config.clone()).unwrap();
    let detect = || ordertrack_worker::jobs::detect_delays::detect_delays(&ctx);
    assert_eq!(detect().await.unwrap(), 1);
    assert_eq!(detect().await.unwrap(), 0, "once");
    let found = issues(&app, &order_id).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, "eta_passed");
    assert_eq!(delay_notices(&app, &order_id, NotificationEvent::Delayed).await, 1);
    let rows = app.notifications(order_id.parse().unwrap()).await;
    let delayed = rows.iter().find(|n| n.event == NotificationEvent::Delayed).unwrap();
    assert_eq!(delayed.queue.as_str(), "notifications-critical");
    app.run_pending_jobs().await;
    assert!(app
        .smtp
        .received()
        .iter()
        .any(|m| m.to == ["shopper@example.com"] && m.subject().to_lowercase().contains("delay")));
    let timeline: Vec<Value> =
        app.get(&format!("/api/v1/orders/{order_id}/timeline"), &app.admin_token).await.json().await.unwrap();
    assert!(timeline.iter().any(|e| e["kind"] == "issue"));

    // A new estimate that passes again is a new delay.
    set_eta(&app, parcel, chrono::Utc::now() - chrono::Duration::hours(2)).await;
    assert_eq!(detect().await.unwrap(), 1);
    assert_eq!(delay_notices(&app, &order_id, NotificationEvent::Delayed).await, 2);
    app.stop().await;
}

#[tokio::test]
async fn a_parcel_without_scans_for_too_long_is_late() {
    let app = TestApp::spawn_with(Options { no_scan: Duration::from_millis(200), ..Options::default() }).await;
    let (order_id, _) = order_with_parcel(&app, "SO-Q", "fedex", FEDEX_NUMBER).await;
    // A real clock is the subject: the parcel goes longer than `no_scan`
    // (200 ms) without a scan.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ctx = ordertrack_worker::context(app.worker_config.clone()).unwrap();
    assert_eq!(ordertrack_worker::jobs::detect_delays::detect_delays(&ctx).await.unwrap(), 1);
    assert_eq!(ordertrack_worker::jobs::detect_delays::detect_delays(&ctx).await.unwrap(), 0);
    assert_eq!(issues(&app, &order_id).await[0].kind, "no_scan");
    app.stop().await;
}

#[tokio::test]
async fn a_later_estimate_from_the_carrier_notifies_and_only_a_new_date_notifies_again() {
    let app = TestApp::spawn().await;
    let (order_id, parcel) = order_with_parcel(&app, "SO-E", "fedex", FEDEX_NUMBER).await;
    let scan = |at: &str| vec![fedex_scan(at, "IT", "In transit", "")];
    post_fedex(&app, &fedex_payload(FEDEX_NUMBER, scan("2030-01-01T08:00:00Z"), Some("2030-01-03T18:00:00Z"))).await;
    app.run_pending_jobs().await;
    assert!(crate::carriers::shipment(&app, parcel).await.estimated_delivery_at.is_some());
    assert_eq!(moved(&app, &order_id).await, 0, "the first estimate is not a delay");
    post_fedex(&app, &fedex_payload(FEDEX_NUMBER, scan("2030-01-02T08:00:00Z"), Some("2030-01-05T18:00:00Z"))).await;
    app.run_pending_jobs().await;
    assert_eq!(moved(&app, &order_id).await, 1);
    // The same later date again (a new scan) changes nothing material.
    post_fedex(&app, &fedex_payload(FEDEX_NUMBER, scan("2030-01-02T12:00:00Z"), Some("2030-01-05T20:00:00Z"))).await;
    app.run_pending_jobs().await;
    assert_eq!(moved(&app, &order_id).await, 1);
    post_fedex(&app, &fedex_payload(FEDEX_NUMBER, scan("2030-01-03T08:00:00Z"), Some("2030-01-07T18:00:00Z"))).await;
    app.run_pending_jobs().await;
    assert_eq!(moved(&app, &order_id).await, 2);
    assert_eq!(delay_notices(&app, &order_id, NotificationEvent::Delayed).await, 2);
    app.stop().await;
}

#[tokio::test]
async fn a_carrier_exception_is_recorded_and_the_shopper_told_once() {
    let app = TestApp::spawn().await;
    let (order_id, _) = order_with_parcel(&app, "SO-X", "fedex", FEDEX_NUMBER).await;
    post_fedex(
        &app,
        &fedex_payload(FEDEX_NUMBER, vec![fedex_scan("2030-01-01T08:00:00Z", "PU", "Picked up", "")], None),
    )
    .await;
    let exception =
        fedex_payload(FEDEX_NUMBER, vec![fedex_scan("2030-01-02T10:00:00Z", "DE", "Incorrect address", "03")], None);
    post_fedex(&app, &exception).await;
    app.run_pending_jobs().await;
    assert!(issues(&app, &order_id).await.iter().any(|i| i.kind == "carrier_exception"));
    let order: Value = app.get(&format!("/api/v1/orders/{order_id}"), &app.admin_token).await.json().await.unwrap();
    assert_eq!(order["status"], "exception");
    let notices = app.notifications(order_id.parse().unwrap()).await;
    let problem: Vec<_> = notices
        .iter()
        .filter(|n| matches!(n.event, NotificationEvent::DeliveryException | NotificationEvent::ActionNeeded))
        .collect();
    assert_eq!(
        problem.len(),
        1,
        "one message for one exception: {:?}",
        problem.iter().map(|n| n.event).collect::<Vec<_>>()
    );
    assert_eq!(problem[0].payload["reason_code"], "address_issue");
    assert_rebuild_keeps_the_timeline(&app, order_id.parse().unwrap(), &[0, 1, 2, 3]).await;
    app.stop().await;
}

/// How many times the carrier moved the estimate later.
async fn moved(app: &TestApp, order_id: &str) -> usize {
    issues(app, order_id).await.iter().filter(|i| i.kind == "eta_moved").count()
}

/// The scan walks every open parcel in keyset batches (3 in the harness):
/// late parcels in the second and third batch are found as surely as in the
/// first, each once.
#[tokio::test]
async fn the_delay_scan_reaches_every_open_parcel_batch_after_batch() {
    let app = TestApp::spawn().await;
    assert_eq!(app.worker_config.delay_scan_batch, 3);
    let now = chrono::Utc::now();
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    // Eight parcels, oldest first: batches [0 1 2] [3 4 5] [6 7]; 1, 4 and 7 are late.
    let late = [1, 4, 7];
    let mut orders = Vec::new();
    for i in 0..8 {
        let number = format!("10000000000{i}");
        let (order_id, _) = order_with_parcel(&app, &format!("SO-B{i}"), "fedex", &number).await;
        if late.contains(&i) {
            let scan = vec![fedex_scan(&at(now - chrono::Duration::days(3)), "IT", "In transit", "")];
            let res = post_fedex(&app, &fedex_payload(&number, scan, Some(&at(now - chrono::Duration::days(1))))).await;
            assert_eq!(res.status(), 202);
        }
        orders.push(order_id);
    }
    app.run_pending_jobs().await;
    let late_entries = |timeline: Vec<Value>| timeline.iter().filter(|e| e["kind"] == "issue").count();
    for tick in [1, 2] {
        app.run_job(MaintenanceJob::DetectDelays { tick }).await;
        for (i, order_id) in orders.iter().enumerate() {
            let timeline: Vec<Value> =
                app.get(&format!("/api/v1/orders/{order_id}/timeline"), &app.admin_token).await.json().await.unwrap();
            let expected = usize::from(late.contains(&i));
            assert_eq!(late_entries(timeline), expected, "parcel {i} after scan {tick}");
            assert_eq!(delay_notices(&app, order_id, NotificationEvent::Delayed).await, expected, "parcel {i}");
        }
    }
    app.stop().await;
}
