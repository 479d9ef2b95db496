//! The shopper's web app over HTTP (issue 12): sign-in through a portal
//! link, the session cookie and its CSRF checks, live updates with the
//! cookie, and how the api serves the built app and its pages.

use std::time::Duration;

use ordertrack_tests::live::SseStream;
use ordertrack_tests::{customer_order, Options, TestApp, PUBLIC_BASE_URL};
use reqwest::header::{HeaderMap, COOKIE, ORIGIN, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::{json, Value};

const COOKIE_NAME: &str = "ordertrack_session";

/// A browser signed in to the web app: its cookie and CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

async fn portal_link(app: &TestApp, customer: &str, extra: Value) -> reqwest::Response {
    let mut body = json!({"customer": customer});
    body.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    app.post("/api/v1/portal-sessions", &app.service_token, &body).await
}

fn code_of(link: &Value) -> String {
    let url = link["url"].as_str().expect("a url");
    let prefix = format!("{PUBLIC_BASE_URL}/portal/");
    url.strip_prefix(&prefix).unwrap_or_else(|| panic!("{url} is under {prefix}")).to_owned()
}

async fn exchange(app: &TestApp, code: &str, origin: Option<&str>) -> reqwest::Response {
    let mut request = app.http.post(app.url("/api/v1/portal/session")).json(&json!({"code": code}));
    if let Some(origin) = origin {
        request = request.header(ORIGIN, origin);
    }
    request.send().await.unwrap()
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{COOKIE_NAME}=")))
        .map(str::to_owned)
}

async fn sign_in(app: &TestApp, customer: &str) -> Browser {
    let link: Value = portal_link(app, customer, json!({})).await.json().await.unwrap();
    let res = exchange(app, &code_of(&link), Some(PUBLIC_BASE_URL)).await;
    assert_eq!(res.status(), 201);
    let set_cookie = session_cookie(res.headers()).expect("a session cookie");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let session: Value = res.json().await.unwrap();
    Browser { cookie, csrf: session["csrf_token"].as_str().unwrap().to_owned() }
}

impl Browser {
    fn get(&self, app: &TestApp, path: &str) -> reqwest::RequestBuilder {
        app.http.get(app.url(path)).header(COOKIE, &self.cookie)
    }

    /// A write as the app makes it: cookie, Origin and CSRF token.
    fn write(&self, app: &TestApp, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        app.http
            .request(method, app.url(path))
            .header(COOKIE, &self.cookie)
            .header(ORIGIN, PUBLIC_BASE_URL)
            .header("X-CSRF-Token", &self.csrf)
    }
}

#[tokio::test]
async fn a_portal_link_signs_the_shopper_in_once_with_an_http_only_cookie() {
    let app = TestApp::spawn().await;
    app.create_order(&customer_order("WEB-1", "web-ana")).await;

    let res = portal_link(&app, "web-ana", json!({"locale": "ru", "return_url": "https://shop.example/account"})).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let link: Value = res.json().await.unwrap();
    let code = code_of(&link);

    let res = exchange(&app, &code, Some(PUBLIC_BASE_URL)).await;
    assert_eq!(res.status(), 201);
    let set_cookie = session_cookie(res.headers()).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{attribute} missing: {set_cookie}");
    }
    let session: Value = res.json().await.unwrap();
    assert_eq!(session["locale"], "ru");
    assert_eq!(session["return_url"], "https://shop.example/account");
    assert_eq!(session["customer"]["email"], "web-ana@example.com");
    assert!(session["csrf_token"].as_str().is_some_and(|t| t.len() >= 40), "{session}");
    let secret = set_cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    assert!(!session.to_string().contains(&secret), "the body never carries the cookie's secret");

    // The link worked once.
    assert_eq!(exchange(&app, &code, Some(PUBLIC_BASE_URL)).await.status(), 401);

    // The cookie reads the shopper's orders and session.
    let browser = Browser { cookie: format!("{COOKIE_NAME}={secret}"), csrf: String::new() };
    let page: Value = browser.get(&app, "/api/v1/orders").send().await.unwrap().json().await.unwrap();
    assert_eq!(page["orders"][0]["order_number"], "WEB-1");
    let res = browser.get(&app, "/api/v1/portal/session").send().await.unwrap();
    assert_eq!(res.status(), 200);

    // Only SHA-256 hashes are stored.
    let mut conn = app.db.get().await.unwrap();
    use diesel_async::RunQueryDsl;
    let stored: Vec<String> = diesel::sql_query("SELECT encode(session_hash, 'hex') AS hash FROM portal_sessions")
        .load::<Hash>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.hash)
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(&secret) && stored[0].len() == 64);
    app.stop().await;
}

async fn request_count(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ordertrack_shared::schema::customer_requests;
    let mut conn = app.db.get().await.unwrap();
    customer_requests::table.count().get_result(&mut conn).await.unwrap()
}

#[derive(diesel::QueryableByName)]
struct Hash {
    #[diesel(sql_type = diesel::sql_types::Text)]
    hash: String,
}

#[tokio::test]
async fn links_are_refused_when_expired_from_another_site_or_for_strangers() {
    let app = TestApp::spawn_with(Options { portal_link_ttl: Duration::from_millis(300), ..Options::default() }).await;
    app.create_order(&customer_order("WEB-2", "web-ion")).await;

    // Only the storefront (service tokens) asks for links.
    let customer = app.customer_token("web-ion").await;
    let res = app.post("/api/v1/portal-sessions", &customer, &json!({"customer": "web-ion"})).await;
    assert_eq!(res.status(), 403);
    let res = app.post("/api/v1/portal-sessions", &app.admin_token, &json!({"customer": "web-ion"})).await;
    assert_eq!(res.status(), 403);

    // Bad input names its field and changes nothing.
    for (body, field) in [
        (json!({"customer": "web-ion", "locale": "de"}), "locale"),
        (json!({"customer": "web-ion", "return_url": "javascript:alert(1)"}), "return_url"),
    ] {
        let res = app.post("/api/v1/portal-sessions", &app.service_token, &body).await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.unwrap()["field"], field);
    }
    assert_eq!(portal_link(&app, "nobody", json!({})).await.status(), 404);

    // A link opened from another site's page would sign the victim in to
    // the attacker's session: refused, and the link is still good.
    let link: Value = portal_link(&app, "web-ion", json!({})).await.json().await.unwrap();
    let res = exchange(&app, &code_of(&link), Some("https://evil.example")).await;
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "csrf_failed");
    assert_eq!(exchange(&app, &code_of(&link), None).await.status(), 403);

    // An expired link.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(exchange(&app, &code_of(&link), Some(PUBLIC_BASE_URL)).await.status(), 401);
    assert_eq!(exchange(&app, "opl_made-up", Some(PUBLIC_BASE_URL)).await.status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn cookie_writes_need_the_origin_and_the_csrf_token() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("WEB-3", "web-csrf")).await;
    let browser = sign_in(&app, "web-csrf").await;
    let path = format!("/api/v1/orders/{}/requests", order["id"].as_str().unwrap());
    let body = json!({"kind": "contact_support", "message": "Where is my parcel?"});

    // Without the token, with a wrong one, or from another origin: 403, nothing recorded.
    let post = || app.http.post(app.url(&path)).header(COOKIE, &browser.cookie);
    let forged = [
        post().header(ORIGIN, PUBLIC_BASE_URL),
        post().header(ORIGIN, PUBLIC_BASE_URL).header("X-CSRF-Token", "AAAA"),
        post().header(ORIGIN, "https://evil.example").header("X-CSRF-Token", &browser.csrf),
        post().header("X-CSRF-Token", &browser.csrf),
        // A second Origin or token beside the right one is no proof either.
        browser.write(&app, reqwest::Method::POST, &path).header(ORIGIN, "https://evil.example"),
    ];
    for request in forged {
        let res = request.json(&body).send().await.unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(res.json::<Value>().await.unwrap()["error"], "csrf_failed");
    }
    assert_eq!(request_count(&app).await, 0);

    // As the app sends it: recorded.
    let res = browser.write(&app, reqwest::Method::POST, &path).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    assert_eq!(request_count(&app).await, 1);

    // A bearer token needs none of it (no ambient credential to forge).
    let token = app.customer_token("web-csrf").await;
    assert_eq!(app.post(&path, &token, &body).await.status(), 201);
    app.stop().await;
}

#[tokio::test]
async fn the_session_sees_only_its_own_orders_and_ends_on_sign_out() {
    let app = TestApp::spawn().await;
    app.create_order(&customer_order("WEB-4A", "web-a")).await;
    let theirs = app.create_order(&customer_order("WEB-4B", "web-b")).await;
    let browser = sign_in(&app, "web-a").await;

    let res = browser.get(&app, &format!("/api/v1/orders/{}", theirs["id"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let page: Value = browser.get(&app, "/api/v1/orders").send().await.unwrap().json().await.unwrap();
    let numbers: Vec<&str> =
        page["orders"].as_array().unwrap().iter().filter_map(|o| o["order_number"].as_str()).collect();
    assert_eq!(numbers, ["WEB-4A"]);
    // Staff endpoints stay closed to a shopper's cookie.
    assert_eq!(browser.get(&app, "/api/v1/admin/audit").send().await.unwrap().status(), 403);

    // Sign-out needs the CSRF token too, then the cookie is dead everywhere.
    let res = app.http.delete(app.url("/api/v1/portal/session")).header(COOKIE, &browser.cookie).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = browser.write(&app, reqwest::Method::DELETE, "/api/v1/portal/session").send().await.unwrap();
    assert_eq!(res.status(), 204);
    let removal = session_cookie(res.headers()).expect("the cookie is removed");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    assert_eq!(browser.get(&app, "/api/v1/orders").send().await.unwrap().status(), 401);
    assert_eq!(browser.get(&app, "/api/v1/portal/session").send().await.unwrap().status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app =
        TestApp::spawn_with(Options { portal_session_idle: Duration::from_millis(500), ..Options::default() }).await;
    app.create_order(&customer_order("WEB-5", "web-idle")).await;
    let browser = sign_in(&app, "web-idle").await;
    assert_eq!(browser.get(&app, "/api/v1/orders").send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(browser.get(&app, "/api/v1/orders").send().await.unwrap().status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn the_shoppers_live_stream_takes_the_cookie() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("WEB-6", "web-live")).await;
    let browser = sign_in(&app, "web-live").await;

    let since = chrono::Utc::now();
    let (status, mut stream) = SseStream::open(browser.get(&app, "/api/v1/me/events?locale=es")).await;
    assert_eq!(status, 200);
    stream.skip_recorded_before(since);
    app.set_status(order["id"].as_str().unwrap(), "on_hold").await;
    let event = stream.next_of_kind("status_change", Duration::from_secs(10)).await.expect("the change arrives live");
    assert_eq!(event.data["entry"]["status"], "on_hold");
    assert_eq!(event.data["entry"]["title"], "Pedido en espera", "in the language the stream asked for");

    // Streams take the cookie as it is: no ticket.
    let res = browser
        .write(&app, reqwest::Method::POST, "/api/v1/stream-tickets")
        .json(&json!({"scope": "me"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    app.stop().await;
}

#[tokio::test]
async fn customers_search_their_orders_and_split_active_from_past() {
    let app = TestApp::spawn().await;
    let shipped = app.create_order(&customer_order("WEB-7-100", "web-lists")).await;
    app.create_order(&customer_order("WEB-7-200", "web-lists")).await;
    let cancelled = app.create_order(&customer_order("WEB-7-300", "web-lists")).await;
    app.create_order(&customer_order("WEB-7-999", "web-other")).await;
    app.set_status(cancelled["id"].as_str().unwrap(), "cancelled").await;
    let _ = shipped;
    let browser = sign_in(&app, "web-lists").await;
    let numbers = |page: Value| -> Vec<String> {
        page["orders"].as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap().to_owned()).collect()
    };
    let get = |path: &str| browser.get(&app, path).send();

    let active = numbers(get("/api/v1/orders?active=true").await.unwrap().json().await.unwrap());
    assert_eq!(active, ["WEB-7-200", "WEB-7-100"]);
    let past = numbers(get("/api/v1/orders?active=false").await.unwrap().json().await.unwrap());
    assert_eq!(past, ["WEB-7-300"]);
    // Search stays within the shopper's own orders.
    let found = numbers(get("/api/v1/orders?q=WEB-7-").await.unwrap().json().await.unwrap());
    assert_eq!(found, ["WEB-7-300", "WEB-7-200", "WEB-7-100"]);
    assert!(numbers(get("/api/v1/orders?q=WEB-7-999").await.unwrap().json().await.unwrap()).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn pages_carry_a_strict_policy_and_api_paths_stay_json() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&customer_order("WEB-8", "web-pages")).await;
    let conn = app.db.get().await.unwrap();
    let code = ordertrack_shared::models::Order::find(&conn, order["id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap()
        .tracking_code;

    // The tracking page reads without JavaScript, in the asked language, and
    // allows only its own inline style.
    let res = app.http.get(app.url(&format!("/t/{code}?locale=ru"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("style-src 'self' 'sha256-") && !policy.contains("unsafe"), "{policy}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    let html = res.text().await.unwrap();
    assert!(html.contains("Заказ WEB-8") && html.contains("lang=\"ru\""), "{html}");

    // Unknown API paths are JSON 404s, never the app's page.
    let res = app.http.get(app.url("/api/v1/no-such-thing")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "not_found");
    // A missing asset is a 404 too, not the app's page.
    assert_eq!(app.http.get(app.url("/assets/gone-1234.js")).send().await.unwrap().status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn the_built_app_is_served_with_long_cached_gzipped_assets() {
    let app = TestApp::spawn().await;
    // Any route of the app answers its page (scripts/test builds web/ first;
    // without a build there is nothing to serve and nothing to check).
    let res = app.http.get(app.url("/orders/some-id?x=1")).send().await.unwrap();
    if res.status() == 404 {
        eprintln!("web/dist is not built: run scripts/web-build");
        app.stop().await;
        return;
    }
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.starts_with("default-src 'self'; script-src 'self';"), "{policy}");
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<div id="app"></div>"#), "{html}");
    let script = html.split("src=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a script").to_owned();
    assert!(script.starts_with("/assets/"), "{script}");

    let res = app.http.get(app.url(&script)).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(res.headers()["content-type"].to_str().unwrap().contains("javascript"));
    let plain = app.http.get(app.url(&script)).header("Accept-Encoding", "identity").send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.text().await.unwrap().contains("import"), "the script itself");
    app.stop().await;
}
