//! The per-process caches (active templates, workflow, preferences, tokens) serve
//! repeated reads, and an edit made through any replica reaches every other
//! process' cache before its next use.

use ordertrack_shared::domain::Role;
use ordertrack_shared::jobs::Queue;
use ordertrack_shared::metrics::CACHE_LOOKUPS;
use ordertrack_shared::models::ApiToken;
use ordertrack_tests::{customer_order, guest_order, spawn_worker, Options, TestApp};
use serde_json::{json, Value};
use tokio::sync::watch;

fn hits(cache: &str) -> u64 {
    CACHE_LOOKUPS.with_label_values(&[cache, "hit"]).get()
}

/// Subjects of the emails sent to `to`.
fn subjects(app: &TestApp, to: &str) -> Vec<String> {
    app.smtp.received().iter().filter(|m| m.to.iter().any(|r| r == to)).map(|m| m.subject()).collect()
}

#[tokio::test]
async fn two_workers_render_a_new_template_version_from_their_next_message() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    // Confirmations go through one worker, customer-service messages through
    // the other: each has a cache of its own to keep current.
    let (_stop, shutdown) = watch::channel(false);
    let queues = [Queue::Notifications, Queue::NotificationsBulk];
    for queue in queues {
        let mut config = app.worker_config.clone();
        config.queues = vec![queue];
        spawn_worker(config, shutdown.clone());
    }
    let message = |id: String, text: &'static str| {
        let app = &app;
        async move {
            let body = json!({"channel": "email", "message": text});
            let res = app.post(&format!("/api/v1/orders/{id}/messages"), &app.csr_token, &body).await;
            assert_eq!(res.status(), 202);
        }
    };
    let round = |n: u32| {
        let app = &app;
        async move {
            let email = format!("c{n}@example.com");
            let order = app.create_order(&guest_order(&format!("SO-C{n}"), &email, "en")).await;
            message(order["id"].as_str().unwrap().to_owned(), "Your gift wrap is on us.").await;
            app.run_pending_jobs_in(&queues).await;
            let mut sent = subjects(app, &email);
            sent.sort();
            sent
        }
    };
    let versions = ["order_confirmed", "custom"].map(|event| format!("/api/v1/admin/templates/{event}/email/en"));

    // Each worker renders (and caches) the seeded version, then serves it again.
    assert_eq!(round(1).await, ["About your order SO-C1", "Order SO-C1 confirmed"]);
    let before = hits("templates");
    assert_eq!(round(2).await, ["About your order SO-C2", "Order SO-C2 confirmed"]);
    assert!(hits("templates") >= before + 2, "both workers served their template from the cache");

    let html = "{% extends \"_layouts/email.html\" %}{% block content %}<p>{{ order_number }}</p>{% endblock content %}{% block footer %}<a href=\"{{ unsubscribe_url }}\">Unsubscribe</a>{% endblock footer %}";
    for base in &versions {
        let draft = json!({"subject": "New look {{ order_number }}", "body": "Hi {{ message }}", "html": html, "comment": "new look"});
        assert_eq!(app.post(base, &app.admin_token, &draft).await.status(), 201);
        assert_eq!(app.post(&format!("{base}/versions/2/activate"), &app.admin_token, &json!({})).await.status(), 200);
    }
    assert_eq!(round(3).await, ["New look SO-C3", "New look SO-C3"], "both workers dropped the old version");

    for base in &versions {
        assert_eq!(app.post(&format!("{base}/rollback"), &app.admin_token, &json!({})).await.status(), 200);
    }
    assert_eq!(round(4).await, ["About your order SO-C4", "Order SO-C4 confirmed"], "and the rollback");
    app.stop().await;
}

#[tokio::test]
async fn a_workflow_edit_on_one_replica_applies_on_another_that_had_cached_it() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let other = app.another_api();
    let status = |order: &Value, to: &'static str| {
        let (app, other, id) = (&app, &other, order["id"].as_str().unwrap().to_owned());
        async move {
            app.http
                .post(format!("{other}/api/v1/orders/{id}/status"))
                .bearer_auth(&app.admin_token)
                .json(&json!({"status": to, "note": "by the other replica"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let first = app.create_order(&guest_order("SO-WF1", "wf1@example.com", "en")).await;
    let second = app.create_order(&guest_order("SO-WF2", "wf2@example.com", "en")).await;
    assert_eq!(status(&first, "on_hold").await, 200);
    let before = hits("workflow");
    assert_eq!(status(&first, "confirmed").await, 200);
    assert!(hits("workflow") > before, "the other replica checked the second change against its cache");

    let path = "/api/v1/admin/workflow/transitions/confirmed/on_hold";
    let res = app.http.delete(app.url(path)).bearer_auth(&app.admin_token).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(status(&second, "on_hold").await, 409, "the other replica refuses the removed step at once");
    app.stop().await;
}

#[tokio::test]
async fn saved_preferences_apply_to_the_next_notification_on_every_replica() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let other = app.another_api();
    let order = app.create_order(&customer_order("SO-PR1", "pia")).await;
    let token = app.customer_token("pia").await;
    let id = order["id"].as_str().unwrap();
    let save = |delivered: Value| {
        let channels = json!({"order_shipped": ["email"], "out_for_delivery": ["email"], "delivered": delivered});
        let body = json!({"locale": "en", "time_zone": "UTC", "quiet_hours": null, "channels": channels});
        let (app, token) = (&app, &token);
        async move { app.put("/api/v1/me/preferences", token, &body).await.status() }
    };
    let change = |to: &'static str, note: &'static str| {
        let (app, other) = (&app, &other);
        async move {
            let res = app
                .http
                .post(format!("{other}/api/v1/orders/{id}/status"))
                .bearer_auth(&app.admin_token)
                .json(&json!({"status": to, "note": note}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{to}");
        }
    };
    let channels_for = |event: &'static str| {
        let app = &app;
        async move {
            let mut channels: Vec<String> = app
                .notifications(id.parse().unwrap())
                .await
                .iter()
                .filter(|n| n.event.as_str() == event)
                .map(|n| n.channel.to_string())
                .collect();
            channels.sort();
            channels
        }
    };

    assert_eq!(save(json!(["email"])).await, 200);
    change("shipped", "primes the other replica's cache").await;
    let before = hits("preferences");
    change("out_for_delivery", "read from the cache").await;
    assert!(hits("preferences") > before);
    assert_eq!(channels_for("out_for_delivery").await, ["email"]);

    assert_eq!(save(json!([])).await, 200);
    change("delivered", "after the customer turned delivery emails off").await;
    assert_eq!(channels_for("delivered").await, Vec::<String>::new(), "the other replica saw the new preferences");
    app.stop().await;
}

#[tokio::test]
async fn a_token_revoked_or_expired_is_refused_at_once_by_a_replica_that_had_it_cached() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let other = app.another_api();
    let mut conn = app.db.get().await.unwrap();
    let soon = chrono::Utc::now() + chrono::Duration::seconds(2);
    let (revoked, revoked_secret) = ApiToken::mint(&mut conn, Role::Service, None, "revoked", None).await.unwrap();
    let (_, expiring_secret) = ApiToken::mint(&mut conn, Role::Service, None, "expiring", Some(soon)).await.unwrap();
    drop(conn);
    let list = |secret: &str| {
        let request = app.http.get(format!("{other}/api/v1/orders")).bearer_auth(secret).send();
        async move { request.await.unwrap().status() }
    };

    for secret in [&revoked_secret, &expiring_secret] {
        assert_eq!(list(secret).await, 200);
        let before = hits("tokens");
        assert_eq!(list(secret).await, 200);
        assert!(hits("tokens") > before, "the other replica authenticated from its cache");
    }
    let res = app.post(&format!("/api/v1/tokens/{}/revoke", revoked.id), &app.admin_token, &json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(list(&revoked_secret).await, 401, "revoked on one replica, refused by the other at once");
    assert_eq!(list(&expiring_secret).await, 200);
    tokio::time::sleep((soon - chrono::Utc::now()).to_std().unwrap_or_default()).await;
    assert_eq!(list(&expiring_secret).await, 401, "expired while cached");
    app.stop().await;
}
