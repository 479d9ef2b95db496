use std::time::Duration;

use diesel_async::RunQueryDsl;
use ordertrack_shared::domain::Channel;
use ordertrack_tests::{customer_order, eventually, guest_order, Options, TestApp};
use serde_json::{json, Value};

/// How long a security audit row, written by a task the api spawns, may take.
const SECURITY_AUDIT_DEADLINE: Duration = Duration::from_secs(60);

async fn audit(app: &TestApp, query: &str) -> Vec<Value> {
    let page: Value = app.get(&format!("/api/v1/admin/audit?{query}"), &app.admin_token).await.json().await.unwrap();
    page["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn workflow_edits_are_validated_audited_and_seen_by_every_replica() {
    let app = TestApp::spawn().await;
    let other = app.another_api();
    let path = |from: &str, to: &str| format!("/api/v1/admin/workflow/transitions/{from}/{to}");
    let delete = |p: String| app.http.delete(app.url(&p)).bearer_auth(&app.admin_token).send();

    // on_hold keeps one way out; removing the last is refused.
    assert_eq!(delete(path("on_hold", "confirmed")).await.unwrap().status(), 200);
    assert_eq!(delete(path("on_hold", "processing")).await.unwrap().status(), 200);
    let res = delete(path("on_hold", "cancelled")).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("on_hold would have no way forward"));
    // Delivered must stay reachable.
    for from in ["shipped", "in_transit", "out_for_delivery"] {
        assert_eq!(delete(path(from, "delivered")).await.unwrap().status(), 200);
    }
    let res = delete(path("exception", "delivered")).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("delivered could no longer be reached"));
    assert_eq!(delete(path("pending", "shipped")).await.unwrap().status(), 404);

    // Forbid cancelling a confirmed order on one replica; the other refuses at once.
    let order = app.create_order(&guest_order("SO-W", "w@example.com", "en")).await;
    let id = order["id"].as_str().unwrap();
    assert_eq!(delete(path("confirmed", "cancelled")).await.unwrap().status(), 200);
    let res = app
        .http
        .post(format!("{other}/api/v1/orders/{id}/status"))
        .bearer_auth(&app.admin_token)
        .json(&json!({"status": "cancelled", "note": "customer asked"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    // Who may take a step is configurable too: csr loses confirmed -> processing.
    let res = app.put(&path("confirmed", "processing"), &app.admin_token, &json!({"roles": ["admin"]})).await;
    assert_eq!(res.status(), 200);
    let res = app
        .http
        .post(format!("{other}/api/v1/orders/{id}/status"))
        .bearer_auth(&app.csr_token)
        .json(&json!({"status": "processing", "note": "packing"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "transition_not_permitted");
    assert_eq!(
        app.put(&path("confirmed", "confirmed"), &app.admin_token, &json!({"roles": ["admin"]})).await.status(),
        422
    );

    let entries = audit(&app, "action=workflow.").await;
    assert_eq!(entries.len(), 7, "every accepted edit, none of the refused ones");
    let last = &entries[0];
    assert_eq!(last["action"], "workflow.allow");
    assert!(last["before"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["from"] == "confirmed" && t["to"] == "processing" && t["roles"].as_array().unwrap().len() == 3));
    app.stop().await;
}

#[tokio::test]
async fn template_versions_are_validated_previewed_activated_rolled_back_and_diffed() {
    let app = TestApp::spawn().await;
    let base = "/api/v1/admin/templates/order_confirmed/email/en";
    let versions: Vec<Value> = app.get(base, &app.admin_token).await.json().await.unwrap();
    assert_eq!(versions.len(), 1, "the file is version 1");
    assert_eq!((versions[0]["created_by"].as_str().unwrap(), versions[0]["active"].as_bool().unwrap()), ("seed", true));

    let html = "{% extends \"_layouts/email.html\" %}{% block content %}<p>Order {{ order_number }} is in!</p>{% endblock content %}{% block footer %}<a href=\"{{ unsubscribe_url }}\">Unsubscribe</a>{% endblock footer %}";
    let draft =
        |subject: &str, body: &str| json!({"subject": subject, "body": body, "html": html, "comment": "friendlier"});
    for (body, field, fragment) in [
        (draft("Order {{ order_number }}", "Hi {{ shoe_size }}"), "body", "shoe_size"),
        (draft("Order {{ order_number", "Hi"), "subject", "subject.txt"),
        (draft("Order {{ order_number }}", "{% if carrier %}never closed"), "body", "body.txt"),
        (json!({"subject": "x", "body": "y", "comment": "no html"}), "html", "HTML"),
        (json!({"subject": "x", "body": "y", "html": html, "comment": " "}), "comment", "why"),
    ] {
        let res = app.post(base, &app.admin_token, &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["field"], field, "{err}");
        assert!(err["message"].as_str().unwrap().contains(fragment), "{err}");
    }
    let res = app
        .post(
            base,
            &app.admin_token,
            &draft("We got order {{ order_number }}", "Hi {{ customer_name }}, we got {{ order_number }}.\nThanks!"),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!((created["version"].as_i64().unwrap(), created["active"].as_bool().unwrap()), (2, false));
    assert_eq!(created["sample"]["subject"], "We got order SO-2026-000123456789");

    // Preview any version, with sample or real order data, in each locale.
    let order = app.create_order(&guest_order("SO-T1", "t1@example.com", "en")).await;
    let preview: Value = app
        .post(&format!("{base}/versions/2/preview"), &app.admin_token, &json!({"order_id": order["id"]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["subject"], "We got order SO-T1");
    for locale in ["en", "es", "ro", "ru"] {
        let res = app
            .post(
                &format!("/api/v1/admin/templates/delayed/sms/{locale}/versions/1/preview"),
                &app.admin_token,
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 200, "{locale}");
        let sms: Value = res.json().await.unwrap();
        assert!(sms["sms"]["segments"].as_u64().unwrap() <= 2, "{sms}");
    }
    // Unsaved text previews as the editor types, and saves nothing.
    let draft = json!({"body": "Hola {{ order_number }}: ¿todo bien? Привет", "order_id": order["id"]});
    let res = app.post("/api/v1/admin/templates/delayed/sms/es/preview", &app.admin_token, &draft).await;
    assert_eq!(res.status(), 200);
    let rendered: Value = res.json().await.unwrap();
    assert!(rendered["text"].as_str().unwrap().contains("Hola SO-T1"), "{rendered}");
    assert_eq!(rendered["sms"]["encoding"], "ucs2", "Cyrillic is not GSM-7: {rendered}");
    let broken = json!({"body": "{{ order_number "});
    let res = app.post("/api/v1/admin/templates/delayed/sms/es/preview", &app.admin_token, &broken).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "body");
    let versions: Value =
        app.get("/api/v1/admin/templates/delayed/sms/es", &app.admin_token).await.json().await.unwrap();
    assert_eq!(versions.as_array().map(Vec::len), Some(1), "a preview stores nothing: {versions}");
    // Long free text is cut to fit two segments; fixed text that cannot fit
    // is refused (more in sms_budget.rs).
    let long_sms = json!({"body": "{{ message }} ".repeat(20), "comment": "long text"});
    let res = app.post("/api/v1/admin/templates/custom/sms/ru", &app.admin_token, &long_sms).await;
    assert_eq!(res.status(), 201);
    let report: Value = res.json().await.unwrap();
    assert!(report["sample"]["sms"]["segments"].as_u64().unwrap() <= 2, "{report}");
    assert!(report["worst_case"]["shortened"].as_array().unwrap().contains(&json!("message")), "{report}");
    let too_long = json!({"body": format!("{} {{{{ message }}}}", "Ж".repeat(140)), "comment": "too long"});
    let res = app.post("/api/v1/admin/templates/custom/sms/ru", &app.admin_token, &too_long).await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["field"], "body", "{err}");
    assert!(err["message"].as_str().unwrap().contains("SMS segments"), "{err}");

    // The worker sends the active version.
    assert_eq!(app.post(&format!("{base}/versions/2/activate"), &app.admin_token, &json!({})).await.status(), 200);
    app.create_order(&guest_order("SO-T2", "t2@example.com", "en")).await;
    app.run_pending_jobs().await;
    assert!(app.smtp.received().iter().any(|m| m.subject() == "We got order SO-T2"));
    let mail = app.smtp.received().into_iter().find(|m| m.subject() == "We got order SO-T2").unwrap();
    assert!(mail.part("text/html").unwrap().contains("Order SO-T2 is in!"));

    let diff: Value = app.get(&format!("{base}/diff?from=1&to=2"), &app.admin_token).await.json().await.unwrap();
    assert!(diff["subject"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["op"] == "added" && l["line"] == "We got order {{ order_number }}"));
    assert!(diff["subject"].as_array().unwrap().iter().any(|l| l["op"] == "removed"));

    let rolled: Vec<Value> =
        app.post(&format!("{base}/rollback"), &app.admin_token, &json!({})).await.json().await.unwrap();
    assert!(rolled.iter().any(|v| v["version"] == 1 && v["active"] == true));
    assert_eq!(app.post(&format!("{base}/rollback"), &app.admin_token, &json!({})).await.status(), 409);
    app.create_order(&guest_order("SO-T3", "t3@example.com", "en")).await;
    app.run_pending_jobs().await;
    assert!(app.smtp.received().iter().any(|m| m.subject() == "Order SO-T3 confirmed"));

    let actions: Vec<String> =
        audit(&app, "action=template.").await.iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(actions, ["template.rollback", "template.activate", "template.create", "template.create"]);
    assert_eq!(app.get("/api/v1/admin/templates/verification_code/email/en", &app.admin_token).await.status(), 404);
    app.stop().await;
}

/// The first reads of a template seed it from its file once, however many
/// arrive together (the console's page and its preview do).
#[tokio::test]
async fn concurrent_first_reads_of_a_template_all_answer_and_seed_it_once() {
    let app = TestApp::spawn().await;
    let path = "/api/v1/admin/templates/delivered/email/ro";
    let reads = futures::future::join_all((0..32).map(|_| app.get(path, &app.admin_token))).await;
    for res in reads {
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    }
    let versions: Vec<Value> = app.get(path, &app.admin_token).await.json().await.unwrap();
    assert_eq!(versions.len(), 1, "{versions:?}");
    assert_eq!(versions[0]["active"], true);
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_records_security_events_and_cannot_be_changed() {
    let app = TestApp::spawn().await;
    app.http.get(app.url("/api/v1/orders")).bearer_auth("otk_forged").send().await.unwrap();
    app.get("/api/v1/admin/audit", &app.csr_token).await;
    app.post("/api/v1/tokens", &app.admin_token, &json!({"role": "csr", "label": "new agent"})).await;
    // The api writes refusals' audit rows off the request path (a spawned
    // task, not a job): there is no queue to drain, so poll, with a deadline
    // only a hang reaches.
    assert!(
        eventually(SECURITY_AUDIT_DEADLINE, || async { audit(&app, "action=security.").await.len() >= 2 }).await,
        "the security audit rows were never written"
    );
    let security = audit(&app, "action=security.").await;
    let actions: Vec<&str> = security.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(
        actions.contains(&"security.unauthenticated") && actions.contains(&"security.permission_denied"),
        "{actions:?}"
    );
    assert!(security.iter().all(|e| e["ip"] == "127.0.0.1"));
    let minted = audit(&app, "action=token.mint").await;
    assert_eq!(minted.len(), 1);
    assert_eq!(minted[0]["after"]["role"], "csr");
    assert!(minted[0]["actor"].as_str().unwrap().starts_with("admin:"));

    // Pagination walks every entry once.
    let first: Value = app.get("/api/v1/admin/audit?limit=1", &app.admin_token).await.json().await.unwrap();
    let cursor = first["next_cursor"].as_i64().unwrap();
    let second: Value =
        app.get(&format!("/api/v1/admin/audit?limit=1&cursor={cursor}"), &app.admin_token).await.json().await.unwrap();
    assert!(second["entries"][0]["id"].as_i64().unwrap() < first["entries"][0]["id"].as_i64().unwrap());

    // No endpoint changes the log, and the database refuses to.
    for method in ["PUT", "DELETE", "PATCH"] {
        let res = app
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), app.url("/api/v1/admin/audit"))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{method}");
    }
    let mut conn = app.db.get().await.unwrap();
    let update = diesel::sql_query("UPDATE audit_log SET actor = 'someone else'").execute(&mut conn).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = diesel::sql_query("DELETE FROM audit_log").execute(&mut conn).await;
    assert!(delete.is_err());
    app.stop().await;
}

#[tokio::test]
async fn two_replicas_share_one_rate_limit_per_token() {
    let app = TestApp::spawn_with(Options { token_rate_per_minute: 5, ..Options::default() }).await;
    let other = app.another_api();
    ordertrack_tests::start_of_a_rate_window().await;
    let mut remaining = Vec::new();
    for i in 0..5 {
        let base = if i % 2 == 0 { app.base_url.clone() } else { other.clone() };
        let res = app.http.get(format!("{base}/api/v1/orders")).bearer_auth(&app.csr_token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["ratelimit-limit"], "5");
        remaining.push(res.headers()["ratelimit-remaining"].to_str().unwrap().parse::<u32>().unwrap());
    }
    assert_eq!(remaining, [4, 3, 2, 1, 0]);
    let res = app.http.get(format!("{other}/api/v1/orders")).bearer_auth(&app.csr_token).send().await.unwrap();
    assert_eq!(res.status(), 429);
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "rate_limited");
    // Another token has its own budget.
    assert_eq!(app.get("/api/v1/orders", &app.admin_token).await.status(), 200);
    // The refusal's audit row is written off the request path (a spawned task,
    // not a job): poll for it, with a deadline only a hang reaches.
    assert!(
        eventually(SECURITY_AUDIT_DEADLINE, || async {
            let mut conn = app.db.get().await.unwrap();
            !ordertrack_shared::models::AuditEntry::by_action(&mut conn, "security.rate_limited")
                .await
                .unwrap()
                .is_empty()
        })
        .await
    );
    app.stop().await;
}

#[tokio::test]
async fn customer_service_finds_orders_messages_customers_and_resolves_requests() {
    let app = TestApp::spawn().await;
    let mut body = guest_order("SO-CS-77", "Needle@Example.com", "en");
    body["guest"]["phone"] = json!("+34 600 111 222");
    let order = app.create_order(&body).await;
    app.create_order(&guest_order("SO-OTHER", "hay@example.com", "en")).await;
    let id = order["id"].as_str().unwrap().to_owned();
    for q in ["SO-CS", "needle@example.com", "%2B34600111222"] {
        let page: Value = app.get(&format!("/api/v1/orders?q={q}"), &app.csr_token).await.json().await.unwrap();
        let numbers: Vec<&str> =
            page["orders"].as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap()).collect();
        assert_eq!(numbers, ["SO-CS-77"], "{q}");
    }

    let preview: Value = app
        .post(
            &format!("/api/v1/orders/{id}/messages"),
            &app.csr_token,
            &json!({"channel": "email", "message": "Your gift wrap is on us.", "preview": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(preview["body"].as_str().unwrap().contains("Your gift wrap is on us."), "{preview}");
    assert!(
        app.notifications(id.parse().unwrap()).await.iter().all(|n| n.event.as_str() != "custom"),
        "a preview sends nothing"
    );
    let res = app
        .post(
            &format!("/api/v1/orders/{id}/messages"),
            &app.csr_token,
            &json!({"channel": "sms", "message": "Courier arrives at 5pm."}),
        )
        .await;
    assert_eq!(res.status(), 202);
    app.run_pending_jobs().await;
    assert!(app.providers.sms().await.iter().any(|s| s.body.contains("Courier arrives at 5pm.")));

    // Opted out: nothing is queued.
    let mut conn = app.db.get().await.unwrap();
    ordertrack_shared::models::OptOut::record(&mut conn, Channel::Email, "Needle@example.com").await.unwrap();
    drop(conn);
    let res = app
        .post(
            &format!("/api/v1/orders/{id}/messages"),
            &app.csr_token,
            &json!({"channel": "email", "message": "Hello again"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    assert_eq!(res.json::<Value>().await.unwrap().as_array().unwrap().len(), 0);

    let history: Vec<Value> =
        app.get(&format!("/api/v1/orders/{id}/notifications"), &app.csr_token).await.json().await.unwrap();
    assert!(history.iter().any(|n| n["channel"] == "sms" && n["event"] == "custom"));
    assert!(history.iter().all(|n| n["attempt_history"].is_array()));

    let mut customer = customer_order("SO-CS-R", "rosa");
    customer["locale"] = json!("es");
    let with_request = app.create_order(&customer).await;
    let rid = with_request["id"].as_str().unwrap();
    let rosa = app.customer_token("rosa").await;
    let request: Value = app
        .post(
            &format!("/api/v1/orders/{rid}/requests"),
            &rosa,
            &json!({"kind": "contact_support", "message": "Wrong size"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let resolve = format!("/api/v1/requests/{}/resolve", request["id"].as_str().unwrap());
    let res =
        app.post(&resolve, &app.csr_token, &json!({"status": "resolved", "resolution": "Exchange arranged"})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.post(&resolve, &app.csr_token, &json!({"status": "resolved", "resolution": "again"})).await.status(),
        409
    );
    let open: Value = app.get("/api/v1/requests", &app.csr_token).await.json().await.unwrap();
    assert_eq!(open["requests"], json!([]));
    assert_eq!(open["next_cursor"], Value::Null);
    let actions: Vec<String> = audit(&app, "").await.iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    assert!(actions.contains(&"order.message".to_owned()) && actions.contains(&"customer_request.resolve".to_owned()));
    app.stop().await;
}
