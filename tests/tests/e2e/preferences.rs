use ordertrack_tests::{customer_order, TestApp};
use serde_json::{json, Value};

async fn customer(app: &TestApp, id: &str) -> String {
    app.create_order(&customer_order(&format!("SO-{id}"), id)).await;
    app.customer_token(id).await
}

#[tokio::test]
async fn new_customers_get_the_documented_defaults() {
    let app = TestApp::spawn().await;
    let token = customer(&app, "ana").await;
    let prefs: Value = app.get("/api/v1/me/preferences", &token).await.json().await.unwrap();
    assert_eq!(prefs["locale"], "en");
    assert_eq!(prefs["time_zone"], "UTC");
    assert_eq!(prefs["quiet_hours"], Value::Null);
    assert_eq!(prefs["phone"]["verified"], false);
    let channels = prefs["channels"].as_object().unwrap();
    assert_eq!(channels.len(), 12, "every event but verification codes");
    assert!(channels.values().all(|c| c == &json!(["email", "push"])), "{channels:?}");
    app.stop().await;
}

#[tokio::test]
async fn preferences_round_trip_and_only_customers_have_them() {
    let app = TestApp::spawn().await;
    let token = customer(&app, "ana").await;
    let body = json!({
        "locale": "es-ES",
        "time_zone": "Europe/Madrid",
        "quiet_hours": {"start": "22:00", "end": "07:30"},
        "channels": {"order_shipped": ["email"], "delivered": ["push", "email"]}
    });
    let res = app.put("/api/v1/me/preferences", &token, &body).await;
    assert_eq!(res.status(), 200);
    let saved: Value = app.get("/api/v1/me/preferences", &token).await.json().await.unwrap();
    assert_eq!(saved["locale"], "es");
    assert_eq!(saved["quiet_hours"], json!({"start": "22:00", "end": "07:30"}));
    assert_eq!(saved["channels"]["order_shipped"], json!(["email"]));
    assert_eq!(saved["channels"]["delivered"], json!(["email", "push"]));
    assert_eq!(saved["channels"]["cancelled"], json!([]), "a PUT replaces the whole document");

    for staff in [&app.admin_token, &app.csr_token, &app.service_token] {
        assert_eq!(app.get("/api/v1/me/preferences", staff).await.status(), 403);
    }
    assert_eq!(app.http.get(app.url("/api/v1/me/preferences")).send().await.unwrap().status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn every_invalid_preference_is_422_naming_the_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = customer(&app, "ana").await;
    let valid = json!({"locale": "en", "time_zone": "UTC", "quiet_hours": null, "channels": {}});
    let cases = [
        ("locale", json!("de"), "locale"),
        ("time_zone", json!("Mars/Olympus"), "time_zone"),
        ("quiet_hours", json!({"start": "25:00", "end": "07:00"}), "quiet_hours.start"),
        ("quiet_hours", json!({"start": "07:00", "end": "07:00"}), "quiet_hours.end"),
        ("channels", json!({"parcel_teleported": ["email"]}), "channels.parcel_teleported"),
        ("channels", json!({"order_shipped": ["email", "pigeon"]}), "channels.order_shipped[1]"),
        ("channels", json!({"verification_code": ["sms"]}), "channels.verification_code"),
        ("channels", json!({"delayed": ["sms"]}), "channels.delayed[0]"),
        ("channels", json!({"delayed": "email"}), "channels.delayed"),
    ];
    for (key, value, field) in cases {
        let mut body = valid.clone();
        body[key] = value.clone();
        let res = app.put("/api/v1/me/preferences", &token, &body).await;
        assert_eq!(res.status(), 422, "{key}={value}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["field"], field, "{err}");
    }
    let res = app.put("/api/v1/me/preferences", &token, &json!({"locale": "en"})).await;
    assert_eq!(res.status(), 400, "missing fields");
    let prefs: Value = app.get("/api/v1/me/preferences", &token).await.json().await.unwrap();
    assert_eq!(prefs["channels"]["delayed"], json!(["email", "push"]), "unchanged");
    app.stop().await;
}
