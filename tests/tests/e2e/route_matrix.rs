//! Every route × role: the permission decision is data here, and a route
//! missing from the table fails the suite.

use std::collections::BTreeSet;

use ordertrack_shared::domain::Role;
use ordertrack_shared::models::{ApiToken, Order};
use ordertrack_tests::{customer_order, TestApp};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    /// No token needed (rate limited or signed instead).
    Public,
    /// These roles; everyone else gets 403, no token 401.
    Roles(&'static [&'static str]),
}

use Access::*;

const ALL: &[&str] = &["customer", "csr", "admin", "service"];
const STAFF: &[&str] = &["csr", "admin", "service"];
const CSR_ADMIN: &[&str] = &["csr", "admin"];
const ADMIN: &[&str] = &["admin"];
const CUSTOMER: &[&str] = &["customer"];
const ANALYTICS: &[&str] = &["admin", "analyst"];
/// Any signed-in caller (what they may then do is checked further on).
const EVERYONE: &[&str] = &["customer", "csr", "admin", "service", "analyst"];

const MATRIX: &[(&str, &str, Access)] = &[
    ("get", "/healthz", Public),
    ("get", "/readyz", Public),
    ("get", "/metrics", Public),
    ("post", "/webhooks/twilio/status", Public),
    ("post", "/webhooks/sendgrid/events", Public),
    ("get", "/o/{token}", Public),
    ("get", "/c/{token}", Public),
    ("get", "/r/{token}", Public),
    ("post", "/r/{token}", Public),
    ("post", "/webhooks/{carrier}", Public),
    ("get", "/u/{token}", Public),
    ("post", "/u/{token}", Public),
    ("get", "/t/{code}", Public),
    ("post", "/api/v1/tracking", Public),
    ("get", "/api/v1/tracking/{code}", Public),
    ("post", "/api/v1/tracking/{code}/requests", Public),
    ("get", "/api/v1/tracking/{code}/actions", Public),
    ("post", "/api/v1/orders", Roles(&["admin", "service"])),
    ("get", "/api/v1/orders", Roles(ALL)),
    ("get", "/api/v1/orders/{id}", Roles(ALL)),
    ("get", "/api/v1/orders/{id}/timeline", Roles(ALL)),
    ("post", "/api/v1/orders/{id}/status", Roles(STAFF)),
    ("post", "/api/v1/orders/{id}/shipments", Roles(STAFF)),
    ("post", "/api/v1/orders/{id}/requests", Roles(&["customer", "csr", "admin"])),
    ("get", "/api/v1/orders/{id}/actions", Roles(&["customer", "csr", "admin"])),
    ("get", "/api/v1/orders/{id}/notifications", Roles(CSR_ADMIN)),
    ("post", "/api/v1/orders/{id}/messages", Roles(CSR_ADMIN)),
    ("post", "/api/v1/tokens", Roles(ADMIN)),
    ("get", "/api/v1/tokens", Roles(ADMIN)),
    ("post", "/api/v1/tokens/{id}/revoke", Roles(ADMIN)),
    ("get", "/api/v1/me/preferences", Roles(CUSTOMER)),
    ("put", "/api/v1/me/preferences", Roles(CUSTOMER)),
    ("post", "/api/v1/me/phone/verification", Roles(CUSTOMER)),
    ("post", "/api/v1/me/phone/verification/confirm", Roles(CUSTOMER)),
    ("get", "/api/v1/me/devices", Roles(CUSTOMER)),
    ("post", "/api/v1/me/devices", Roles(CUSTOMER)),
    ("delete", "/api/v1/me/devices/{id}", Roles(CUSTOMER)),
    ("get", "/api/v1/requests", Roles(CSR_ADMIN)),
    ("post", "/api/v1/requests/{id}/claim", Roles(CSR_ADMIN)),
    ("post", "/api/v1/requests/{id}/resolve", Roles(CSR_ADMIN)),
    ("get", "/api/v1/admin/notifications", Roles(CSR_ADMIN)),
    ("get", "/api/v1/admin/notifications/{id}", Roles(CSR_ADMIN)),
    ("post", "/api/v1/admin/notifications/{id}/replay", Roles(ADMIN)),
    ("get", "/api/v1/admin/carrier-receipts", Roles(CSR_ADMIN)),
    ("post", "/api/v1/admin/carrier-receipts/{id}/reprocess", Roles(ADMIN)),
    ("get", "/api/v1/admin/audit", Roles(ADMIN)),
    ("get", "/api/v1/admin/workflow", Roles(ADMIN)),
    ("put", "/api/v1/admin/workflow/transitions/{from}/{to}", Roles(ADMIN)),
    ("delete", "/api/v1/admin/workflow/transitions/{from}/{to}", Roles(ADMIN)),
    ("get", "/api/v1/admin/templates/{event}/{channel}/{locale}", Roles(ADMIN)),
    ("post", "/api/v1/admin/templates/{event}/{channel}/{locale}", Roles(ADMIN)),
    ("post", "/api/v1/admin/templates/{event}/{channel}/{locale}/versions/{version}/activate", Roles(ADMIN)),
    ("post", "/api/v1/admin/templates/{event}/{channel}/{locale}/rollback", Roles(ADMIN)),
    ("post", "/api/v1/admin/templates/{event}/{channel}/{locale}/versions/{version}/preview", Roles(ADMIN)),
    ("post", "/api/v1/admin/templates/{event}/{channel}/{locale}/preview", Roles(ADMIN)),
    ("get", "/api/v1/admin/templates/{event}/{channel}/{locale}/diff", Roles(ADMIN)),
    ("post", "/api/v1/stream-tickets", Roles(EVERYONE)),
    // The web app's sign-in: links for the storefront, then the shopper's
    // cookie session (a bearer token is no session: 404; `web_app.rs`).
    ("post", "/api/v1/portal-sessions", Roles(&["service"])),
    // The console: one's own session (a cookie; a bearer token is no
    // session: 404), accounts and sessions for admins (`staff_console.rs`).
    ("post", "/api/v1/staff/session", Public),
    ("get", "/api/v1/staff/session", Roles(EVERYONE)),
    ("delete", "/api/v1/staff/session", Roles(EVERYONE)),
    ("post", "/api/v1/staff/password", Public),
    ("post", "/api/v1/staff/totp", Roles(EVERYONE)),
    ("post", "/api/v1/staff/totp/confirm", Roles(EVERYONE)),
    ("get", "/api/v1/admin/staff", Roles(ADMIN)),
    ("post", "/api/v1/admin/staff", Roles(ADMIN)),
    ("post", "/api/v1/admin/staff/{id}/password-link", Roles(ADMIN)),
    ("post", "/api/v1/admin/staff/{id}/disable", Roles(ADMIN)),
    ("get", "/api/v1/admin/staff-sessions", Roles(ADMIN)),
    ("delete", "/api/v1/admin/staff-sessions/{id}", Roles(ADMIN)),
    ("post", "/api/v1/portal/session", Public),
    ("get", "/api/v1/portal/session", Roles(EVERYONE)),
    ("delete", "/api/v1/portal/session", Roles(EVERYONE)),
    ("get", "/api/v1/orders/{id}/events", Roles(ALL)),
    ("get", "/api/v1/me/events", Roles(CUSTOMER)),
    ("get", "/api/v1/tracking/{code}/events", Public),
    ("get", "/api/v1/admin/events", Roles(CSR_ADMIN)),
    ("get", "/api/v1/admin/analytics/notifications", Roles(ANALYTICS)),
    ("get", "/api/v1/admin/analytics/orders", Roles(ANALYTICS)),
    ("get", "/api/v1/admin/analytics/satisfaction", Roles(ANALYTICS)),
    ("get", "/api/v1/admin/exports/{dataset}", Roles(ANALYTICS)),
    // Guests may follow tracking codes over it; tokens and tickets add orders.
    ("get", "/api/v1/ws", Public),
];

#[tokio::test]
async fn every_documented_route_has_a_permission_decision() {
    let app = TestApp::spawn().await;
    let doc: Value = app.http.get(app.url("/api-docs/openapi.json")).send().await.unwrap().json().await.unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |method| (method.clone(), path.clone())))
        .collect();
    let decided: BTreeSet<(String, String)> = MATRIX.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    let undecided: Vec<_> = documented.difference(&decided).collect();
    assert!(undecided.is_empty(), "routes without a permission decision in the matrix: {undecided:?}");
    let stale: Vec<_> = decided.difference(&documented).collect();
    assert!(stale.is_empty(), "matrix rows for routes that do not exist: {stale:?}");
    app.stop().await;
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_matrix_says() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("SO-M", "matrix-customer")).await;
    let order_id = order["id"].as_str().unwrap().to_owned();
    let customer = app.customer_token("matrix-customer").await;
    let conn = app.db.get().await.unwrap();
    let code = Order::find(&conn, order_id.parse().unwrap()).await.unwrap().tracking_code;
    drop(conn);
    let analyst = {
        let mut conn = app.db.get().await.unwrap();
        ApiToken::mint(&mut conn, Role::Analyst, None, "matrix analyst", None).await.unwrap().1
    };
    let fill = |path: &str| {
        path.replace("{id}", &order_id)
            .replace("{carrier}", "fedex")
            .replace("{code}", &code)
            .replace("{token}", "not-a-token")
            .replace("{from}", "on_hold")
            .replace("{to}", "processing")
            .replace("{event}", "order_confirmed")
            .replace("{channel}", "email")
            .replace("{locale}", "en")
            .replace("{version}", "1")
            .replace("{dataset}", "ratings")
    };
    let tokens = [
        ("customer", customer.as_str()),
        ("csr", &app.csr_token),
        ("admin", &app.admin_token),
        ("service", &app.service_token),
        ("analyst", &analyst),
    ];
    for (method, path, access) in MATRIX {
        // Required query parameters, so that authorization is what is tested.
        let query = if path.ends_with("/diff") { "?from=1&to=1" } else { "" };
        let url = app.url(&format!("{}{query}", fill(path)));
        let send = |token: Option<&str>| {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut request = app.http.request(method, &url).header("content-type", "application/json").body("{}");
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        match access {
            Public => {
                let status = send(None).await.unwrap().status().as_u16();
                assert!(status != 403, "{method} {path} is public but answered {status}");
            }
            Roles(allowed) => {
                assert_eq!(send(None).await.unwrap().status(), 401, "{method} {path} without a token");
                for (role, token) in tokens {
                    let status = send(Some(token)).await.unwrap().status().as_u16();
                    if allowed.contains(&role) {
                        assert!(status != 401 && status != 403, "{method} {path} as {role}: {status}, expected access");
                    } else {
                        assert_eq!(status, 403, "{method} {path} as {role}");
                    }
                }
            }
        }
    }
    let _ = ALL;
    app.stop().await;
}
