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
