use ordertrack_tests::{customer_order, TestApp};
use serde_json::{json, Value};

#[tokio::test]
async fn admins_mint_tokens_that_work_and_others_cannot() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("SO-1", "frank")).await;

    let res = app
        .post(
            "/api/v1/tokens",
            &app.admin_token,
            &json!({"role": "customer", "customer_external_id": "frank", "label": "frank's phone"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let minted: Value = res.json().await.unwrap();
    let token = minted["token"].as_str().unwrap();
    assert!(token.starts_with("otk_"));
    assert_eq!(app.get(&format!("/api/v1/orders/{}", order["id"].as_str().unwrap()), token).await.status(), 200);

    // Only the hash is stored.
    let mut conn = app.db.get().await.unwrap();
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let hashes: Vec<Vec<u8>> = ordertrack_shared::schema::api_tokens::table
        .select(ordertrack_shared::schema::api_tokens::token_hash)
        .load(&mut conn)
        .await
        .unwrap();
    assert!(hashes.iter().all(|h| h.len() == 32 && h.as_slice() != token.as_bytes()));
    drop(conn);

    for (token, body, status) in [
        (&app.csr_token, json!({"role": "admin", "label": "x"}), 403),
        (&app.service_token, json!({"role": "admin", "label": "x"}), 403),
        (&app.admin_token, json!({"role": "customer", "label": "x"}), 422),
        (&app.admin_token, json!({"role": "customer", "customer_external_id": "nobody", "label": "x"}), 422),
        (&app.admin_token, json!({"role": "csr", "customer_external_id": "frank", "label": "x"}), 422),
        (&app.admin_token, json!({"role": "root", "label": "x"}), 400),
        (&app.admin_token, json!({"role": "csr", "label": ""}), 422),
    ] {
        let res = app.post("/api/v1/tokens", token, &body).await;
        assert_eq!(res.status(), status, "{body}");
    }
    let res = app.get("/api/v1/orders", token).await;
    assert_eq!(res.status(), 200);
    let res =
        app.http.get(app.url("/api/v1/orders")).header("Authorization", format!("Basic {token}")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn tokens_are_listed_without_secrets_revoked_on_every_replica_at_once_and_expire() {
    let app = TestApp::spawn().await;
    let other = app.another_api();
    let expires_at = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let res = app
        .post(
            "/api/v1/tokens",
            &app.admin_token,
            &json!({"role": "csr", "label": "temp agent", "expires_at": expires_at}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let minted: Value = res.json().await.unwrap();
    let (id, secret) = (minted["id"].as_str().unwrap().to_owned(), minted["token"].as_str().unwrap().to_owned());
    assert!(minted["expires_at"].is_string());
    for (body, field) in [
        (json!({"role": "csr", "label": "x", "expires_at": "2020-01-01T00:00:00Z"}), "expires_at"),
        (json!({"role": "csr", "label": "x", "expires_at": expires_at, "expires_in_days": 3}), "expires_at"),
        (json!({"role": "csr", "label": "x", "expires_in_days": 0}), "expires_in_days"),
        // Found by Schemathesis: this panicked the worker thread.
        (json!({"role": "csr", "label": "x", "expires_in_days": 357_110_985}), "expires_in_days"),
    ] {
        let res = app.post("/api/v1/tokens", &app.admin_token, &body).await;
        assert_eq!(res.status(), 422, "{body}");
        assert_eq!(res.json::<Value>().await.unwrap()["field"], field);
    }

    // Used on both replicas; the list shows the use, never a secret or a hash.
    for base in [&app.base_url, &other] {
        let res = app.http.get(format!("{base}/api/v1/orders")).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
    let res = app.get("/api/v1/tokens", &app.admin_token).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(!text.contains(&secret) && !text.contains("otk_") && !text.contains("hash"), "{text}");
    let page: Value = serde_json::from_str(&text).unwrap();
    let listed = |page: &Value| page["tokens"].as_array().unwrap().iter().find(|t| t["id"] == id.as_str()).cloned();
    let token = listed(&page).expect("the new token is listed");
    assert_eq!(
        (token["status"].as_str(), token["label"].as_str(), token["role"].as_str()),
        (Some("active"), Some("temp agent"), Some("csr"))
    );
    assert_eq!(
        token["expires_at"].as_str().map(|t| t.parse::<chrono::DateTime<chrono::Utc>>().unwrap().timestamp()),
        Some(expires_at.parse::<chrono::DateTime<chrono::Utc>>().unwrap().timestamp())
    );
    let last_used = token["last_used_at"].as_str().expect("last use recorded").to_owned();
    // At most one write a minute per token: a second use leaves it alone.
    app.get("/api/v1/orders", &secret).await;
    let again: Value = app.get("/api/v1/tokens", &app.admin_token).await.json().await.unwrap();
    assert_eq!(listed(&again).unwrap()["last_used_at"], last_used.as_str());
    // Paging walks every token once.
    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/tokens?limit=2&cursor={c}"),
            None => "/api/v1/tokens?limit=2".to_owned(),
        };
        let page: Value = app.get(&path, &app.admin_token).await.json().await.unwrap();
        seen.extend(page["tokens"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4, "admin, csr, service and the new one: {seen:?}");
    assert_eq!(app.get("/api/v1/tokens", &app.csr_token).await.status(), 403);

    // Revoked on one replica, refused by the other at its next request.
    let revoke = format!("/api/v1/tokens/{id}/revoke");
    let res = app.post(&revoke, &app.admin_token, &json!({})).await;
    assert_eq!(res.status(), 200);
    let revoked: Value = res.json().await.unwrap();
    assert_eq!(revoked["status"], "revoked");
    let res = app.http.get(format!("{other}/api/v1/orders")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(app.get("/api/v1/orders", &secret).await.status(), 401);
    // Again: the same answer, no second audit row.
    let res = app.post(&revoke, &app.admin_token, &json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["revoked_at"], revoked["revoked_at"]);
    let unknown = format!("/api/v1/tokens/{}/revoke", uuid::Uuid::now_v7());
    assert_eq!(app.post(&unknown, &app.admin_token, &json!({})).await.status(), 404);
    assert_eq!(app.post(&revoke, &app.csr_token, &json!({})).await.status(), 403);
    let mut conn = app.db.get().await.unwrap();
    use ordertrack_shared::models::AuditEntry;
    let rows = AuditEntry::for_target(&mut conn, "api_token", &id).await.unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["token.mint", "token.revoke"]);
    assert!(rows.iter().all(|r| r.actor.starts_with("admin:") && r.request_id.is_some()));
    assert!(rows[0].after.as_ref().unwrap()["expires_at"].is_string());

    // An expired token is refused, and listed as expired.
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    let (expired, expired_secret) = ordertrack_shared::models::ApiToken::mint(
        &mut conn,
        ordertrack_shared::domain::Role::Csr,
        None,
        "old",
        Some(past),
    )
    .await
    .unwrap();
    drop(conn);
    assert_eq!(app.get("/api/v1/orders", &expired_secret).await.status(), 401);
    let page: Value = app.get("/api/v1/tokens", &app.admin_token).await.json().await.unwrap();
    let expired =
        page["tokens"].as_array().unwrap().iter().find(|t| t["id"] == expired.id.to_string()).cloned().unwrap();
    assert_eq!((expired["status"].as_str(), &expired["last_used_at"]), (Some("expired"), &Value::Null));
    app.stop().await;
}
