use ordertrack_tests::{guest_order, TestApp};
use serde_json::{json, Value};

#[tokio::test]
async fn a_shipment_answers_with_the_carriers_tracking_url() {
    let app = TestApp::spawn().await;
    let id = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/orders/{id}/shipments");
    for (carrier, number, url) in [
        ("fedex", "1234 5678 9012", "https://www.fedex.com/fedextrack/?trknbr=123456789012"),
        ("ups", "1z999aa10123456784", "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784"),
        (
            "dhl",
            "1234567890",
            "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890",
        ),
    ] {
        let res = app.post(&path, &app.service_token, &json!({"carrier": carrier, "tracking_number": number})).await;
        assert_eq!(res.status(), 201, "{carrier}");
        let shipment: Value = res.json().await.unwrap();
        assert_eq!(shipment["tracking_url"], url);
        assert_eq!(shipment["tracking_status"], "pre_transit");
    }
    let order: Value = app.get(&format!("/api/v1/orders/{id}"), &app.admin_token).await.json().await.unwrap();
    assert_eq!(order["shipments"].as_array().unwrap().len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn bad_or_duplicate_tracking_numbers_are_refused() {
    let app = TestApp::spawn().await;
    let id = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/orders/{id}/shipments");
    let res = app.post(&path, &app.service_token, &json!({"carrier": "fedex", "tracking_number": "ABC"})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "tracking_number");
    let res =
        app.post(&path, &app.service_token, &json!({"carrier": "royal-mail", "tracking_number": "1234567890"})).await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "carrier");

    let body = json!({"carrier": "dhl", "tracking_number": "1234567890"});
    assert_eq!(app.post(&path, &app.service_token, &body).await.status(), 201);
    let res = app.post(&path, &app.service_token, &body).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "shipment_exists");

    let missing = format!("/api/v1/orders/{}/shipments", uuid::Uuid::now_v7());
    assert_eq!(
        app.post(&missing, &app.service_token, &json!({"carrier": "dhl", "tracking_number": "9999999999"}))
            .await
            .status(),
        404
    );
    app.stop().await;
}

/// A message about an order is written from the order's latest parcel: the
/// out-for-delivery email names the carrier and the tracking number of the
/// newer of two parcels, and links to the carrier's page.
#[tokio::test]
async fn the_out_for_delivery_email_names_the_latest_parcel() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    let path = format!("/api/v1/orders/{id}/shipments");
    for parcel in [
        json!({"carrier": "ups", "tracking_number": "1Z999AA10123456784"}),
        json!({"carrier": "dhl", "tracking_number": "1234567890"}),
    ] {
        assert_eq!(app.post(&path, &app.service_token, &parcel).await.status(), 201);
    }
    app.set_status(id, "shipped").await;
    app.set_status(id, "out_for_delivery").await;
    app.run_pending_jobs().await;

    let emails = app.smtp.received();
    let mail = emails.iter().find(|m| m.subject().contains("out for delivery")).expect("the out-for-delivery email");
    let text = mail.part("text/plain").expect("text part");
    assert!(text.contains("Carrier: DHL") && text.contains("Tracking number: 1234567890"), "{text}");
    assert!(text.contains("carrier's website: https://track.example.test/c/"), "the carrier's page, tracked: {text}");
    assert!(!text.contains("1Z999AA10123456784"), "not the older parcel: {text}");
    app.stop().await;
}
