//! Staff accounts for the console (issue 13): set-password links, sign-in
//! with argon2id passwords and TOTP, lockout, the Strict session cookie and
//! its CSRF checks, roles, audit rows that name the person, and admins
//! managing accounts and sessions.

use std::time::Duration;

use ordertrack_tests::{customer_order, Options, TestApp, PUBLIC_BASE_URL};
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use serde_json::{json, Value};

const PASSWORD: &str = "a long staff passphrase";

/// A person signed in to the console.
struct Staff {
    cookie: String,
    csrf: String,
}

impl Staff {
    fn get(&self, app: &TestApp, path: &str) -> reqwest::RequestBuilder {
        app.http.get(app.url(path)).header(COOKIE, &self.cookie)
    }

    fn write(&self, app: &TestApp, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        app.http
            .request(method, app.url(path))
            .header(COOKIE, &self.cookie)
            .header(ORIGIN, PUBLIC_BASE_URL)
            .header("X-CSRF-Token", &self.csrf)
    }
}

/// Creates an account through the admin API (as the first admin would, with
/// a token) and sets its password from the link; returns its id.
async fn account(app: &TestApp, email: &str, role: &str) -> String {
    let res = app
        .post(
            "/api/v1/admin/staff",
            &app.admin_token,
            &json!({"email": email, "name": format!("Staff {role}"), "role": role}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let link = created["set_password_url"].as_str().unwrap();
    let token = link.rsplit('/').next().unwrap();
    assert!(link.starts_with(&format!("{PUBLIC_BASE_URL}/console/set-password/osp_")), "{link}");
    let res = set_password(app, token, PASSWORD).await;
    assert_eq!(res.status(), 204);
    created["user"]["id"].as_str().unwrap().to_owned()
}

async fn set_password(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/staff/password"))
        .json(&json!({"token": token, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn attempt(app: &TestApp, email: &str, password: &str, totp: Option<&str>) -> reqwest::Response {
    let mut body = json!({"email": email, "password": password});
    if let Some(code) = totp {
        body["totp"] = json!(code);
    }
    app.http.post(app.url("/api/v1/staff/session")).header(ORIGIN, PUBLIC_BASE_URL).json(&body).send().await.unwrap()
}

async fn sign_in(app: &TestApp, email: &str, totp: Option<&str>) -> (Staff, Value) {
    let res = attempt(app, email, PASSWORD, totp).await;
    assert_eq!(res.status(), 201);
    let cookie = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ordertrack_staff="))
        .expect("a console cookie")
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute}: {cookie}");
    }
    let session: Value = res.json().await.unwrap();
    let staff = Staff {
        cookie: cookie.split(';').next().unwrap().to_owned(),
        csrf: session["csrf_token"].as_str().unwrap().to_owned(),
    };
    (staff, session)
}

async fn audit_actions(app: &TestApp, query: &str) -> Vec<(String, String)> {
    let page: Value = app.get(&format!("/api/v1/admin/audit?{query}"), &app.admin_token).await.json().await.unwrap();
    page["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|e| (e["action"].as_str().unwrap().to_owned(), e["actor"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn a_set_password_link_works_once_and_refuses_weak_passwords() {
    let app = TestApp::spawn().await;
    let res = app
        .post("/api/v1/admin/staff", &app.admin_token, &json!({"email": "lee@shop.test", "name": "Lee", "role": "csr"}))
        .await;
    let created: Value = res.json().await.unwrap();
    let token = created["set_password_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();

    let res = set_password(&app, &token, "too short").await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "password");
    assert_eq!(set_password(&app, &token, PASSWORD).await.status(), 204, "a refused password leaves the link usable");
    let res = set_password(&app, &token, PASSWORD).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_link");

    // Bad input when creating names its field; an email is one account.
    for (body, field) in [
        (json!({"email": "not-an-email", "name": "X", "role": "csr"}), "email"),
        (json!({"email": "x@shop.test", "name": " ", "role": "csr"}), "name"),
        (json!({"email": "x@shop.test", "name": "X", "role": "customer"}), "role"),
    ] {
        let res = app.post("/api/v1/admin/staff", &app.admin_token, &body).await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.unwrap()["field"], field);
    }
    let again = json!({"email": "LEE@shop.test", "name": "Lee", "role": "admin"});
    assert_eq!(app.post("/api/v1/admin/staff", &app.admin_token, &again).await.status(), 409);
    // Only admins manage staff.
    assert_eq!(app.post("/api/v1/admin/staff", &app.csr_token, &again).await.status(), 403);

    // The stored password is argon2id, never the password.
    let mut conn = app.db.get().await.unwrap();
    let user = ordertrack_shared::models::StaffUser::find_by_email(&mut conn, "lee@shop.test").await.unwrap().unwrap();
    let stored = user.password_hash.unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains(PASSWORD), "{stored}");
    app.stop().await;
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_and_every_attempt_is_audited() {
    let app = TestApp::spawn().await;
    account(&app, "kim@shop.test", "csr").await;

    // Unknown people and wrong passwords get the same answer.
    let res = attempt(&app, "nobody@shop.test", PASSWORD, None).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_credentials");
    for _ in 0..4 {
        let res = attempt(&app, "kim@shop.test", "wrong password!!", None).await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_credentials");
    }
    let res = attempt(&app, "kim@shop.test", "wrong password!!", None).await;
    assert_eq!(res.status(), 429);
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((800..=900).contains(&retry_after), "{retry_after}");
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "account_locked");
    // Locked: even the right password waits.
    assert_eq!(attempt(&app, "kim@shop.test", PASSWORD, None).await.status(), 429);

    let rows = audit_actions(&app, "actor=kim@shop.test").await;
    let count = |action: &str| rows.iter().filter(|(a, _)| a == action).count();
    assert_eq!(
        (count("staff.sign_in_failed"), count("staff.locked"), count("staff.sign_in_locked")),
        (4, 1, 1),
        "{rows:?}"
    );
    // Sign-in from another site's page is refused outright.
    let res = app
        .http
        .post(app.url("/api/v1/staff/session"))
        .header(ORIGIN, "https://evil.example")
        .json(&json!({"email": "kim@shop.test", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn a_csr_works_with_the_cookie_and_the_audit_names_them() {
    let app = TestApp::spawn().await;
    account(&app, "sam@shop.test", "csr").await;
    let order = app.create_order(&customer_order("CON-1", "con-shopper")).await;
    let id = order["id"].as_str().unwrap();
    let (csr, session) = sign_in(&app, "sam@shop.test", None).await;
    assert_eq!(session["user"]["role"], "csr");
    assert_eq!(session["totp_setup_required"], false);

    // Search by email, as the console does.
    let page: Value =
        csr.get(&app, "/api/v1/orders?q=con-shopper@example.com").send().await.unwrap().json().await.unwrap();
    assert_eq!(page["orders"][0]["order_number"], "CON-1", "{page}");
    // Admin pages stay closed to a CSR.
    assert_eq!(csr.get(&app, "/api/v1/admin/audit").send().await.unwrap().status(), 403);
    assert_eq!(csr.get(&app, "/api/v1/admin/staff").send().await.unwrap().status(), 403);

    // A write without the CSRF token changes nothing; with it, the change
    // is attributed to the person.
    let path = format!("/api/v1/orders/{id}/status");
    let body = json!({"status": "on_hold", "note": "payment check"});
    let res = app
        .http
        .post(app.url(&path))
        .header(COOKIE, &csr.cookie)
        .header(ORIGIN, PUBLIC_BASE_URL)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = csr.write(&app, reqwest::Method::POST, &path).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let timeline: Value =
        app.get(&format!("/api/v1/orders/{id}/timeline"), &app.admin_token).await.json().await.unwrap();
    let change = timeline.as_array().unwrap().iter().find(|e| e["status"] == "on_hold").expect("the change");
    assert!(change["actor"].as_str().unwrap().contains("sam@shop.test"), "{change}");
    let rows = audit_actions(&app, "actor=sam@shop.test&action=order.status_change").await;
    assert!(!rows.is_empty(), "the audit viewer finds the person's changes");

    // Sign-out ends the session.
    let res = csr.write(&app, reqwest::Method::DELETE, "/api/v1/staff/session").send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(csr.get(&app, "/api/v1/orders").send().await.unwrap().status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn totp_is_asked_once_on_and_a_code_works_once() {
    let app = TestApp::spawn().await;
    account(&app, "ada@shop.test", "admin").await;
    let (admin, _) = sign_in(&app, "ada@shop.test", None).await;
    let res = admin.write(&app, reqwest::Method::POST, "/api/v1/staff/totp").send().await.unwrap();
    assert_eq!(res.status(), 201);
    let enrolment: Value = res.json().await.unwrap();
    let secret = base32_decode(enrolment["secret"].as_str().unwrap());
    assert!(enrolment["otpauth_url"].as_str().unwrap().starts_with("otpauth://totp/ordertrack:ada@shop.test?secret="));
    let code = |offset: i64| {
        let step = ordertrack_shared::totp::step_at(chrono::Utc::now().timestamp()) + offset;
        format!("{:06}", ordertrack_shared::totp::hotp(&secret, step as u64))
    };
    let res = admin
        .write(&app, reqwest::Method::POST, "/api/v1/staff/totp/confirm")
        .json(&json!({"code": "000000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = admin
        .write(&app, reqwest::Method::POST, "/api/v1/staff/totp/confirm")
        .json(&json!({"code": code(0)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    let res = attempt(&app, "ada@shop.test", PASSWORD, None).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "totp_required");
    // The confirming code was used: the next step's code signs in, once.
    let next = code(1);
    let (_, session) = sign_in(&app, "ada@shop.test", Some(&next)).await;
    assert_eq!(session["user"]["totp_enabled"], true);
    let res = attempt(&app, "ada@shop.test", PASSWORD, Some(&next)).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "totp_invalid");
    app.stop().await;
}

fn base32_decode(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0, Vec::new());
    for c in text.bytes() {
        buffer = (buffer << 5) | alphabet.iter().position(|a| *a == c).unwrap() as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

#[tokio::test]
async fn admins_without_totp_must_enrol_when_policy_requires_it() {
    let app = TestApp::spawn_with(Options { staff_require_totp: true, ..Options::default() }).await;
    account(&app, "root@shop.test", "admin").await;
    account(&app, "help@shop.test", "csr").await;
    let (admin, session) = sign_in(&app, "root@shop.test", None).await;
    assert_eq!(session["totp_setup_required"], true);
    let res = admin.get(&app, "/api/v1/orders").send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "totp_setup_required");
    assert_eq!(admin.write(&app, reqwest::Method::POST, "/api/v1/staff/totp").send().await.unwrap().status(), 201);
    // The policy is for admins.
    let (csr, _) = sign_in(&app, "help@shop.test", None).await;
    assert_eq!(csr.get(&app, "/api/v1/orders").send().await.unwrap().status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn admins_end_sessions_and_disable_accounts() {
    let app = TestApp::spawn().await;
    let csr_id = account(&app, "pat@shop.test", "csr").await;
    account(&app, "boss@shop.test", "admin").await;
    let (csr, _) = sign_in(&app, "pat@shop.test", None).await;
    let (admin, _) = sign_in(&app, "boss@shop.test", None).await;

    let list: Value = admin.get(&app, "/api/v1/admin/staff-sessions").send().await.unwrap().json().await.unwrap();
    let theirs =
        list["sessions"].as_array().unwrap().iter().find(|s| s["user"]["email"] == "pat@shop.test").expect("listed");
    let path = format!("/api/v1/admin/staff-sessions/{}", theirs["id"].as_str().unwrap());
    assert_eq!(admin.write(&app, reqwest::Method::DELETE, &path).send().await.unwrap().status(), 204);
    assert_eq!(csr.get(&app, "/api/v1/orders").send().await.unwrap().status(), 401, "ended at once");

    let (csr, _) = sign_in(&app, "pat@shop.test", None).await;
    let res = admin
        .write(&app, reqwest::Method::POST, &format!("/api/v1/admin/staff/{csr_id}/disable"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["disabled"], true);
    assert_eq!(csr.get(&app, "/api/v1/orders").send().await.unwrap().status(), 401);
    assert_eq!(attempt(&app, "pat@shop.test", PASSWORD, None).await.status(), 401);
    let staff: Value = admin.get(&app, "/api/v1/admin/staff").send().await.unwrap().json().await.unwrap();
    assert!(staff.to_string().contains("pat@shop.test") && !staff.to_string().contains("argon2"), "{staff}");
    app.stop().await;
}

#[tokio::test]
async fn an_idle_console_session_ends() {
    let app =
        TestApp::spawn_with(Options { staff_session_idle: Duration::from_millis(500), ..Options::default() }).await;
    account(&app, "idle@shop.test", "csr").await;
    let (csr, _) = sign_in(&app, "idle@shop.test", None).await;
    assert_eq!(csr.get(&app, "/api/v1/orders").send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(csr.get(&app, "/api/v1/orders").send().await.unwrap().status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn customer_service_claims_a_request() {
    let app = TestApp::spawn().await;
    account(&app, "ric@shop.test", "csr").await;
    let order = app.create_order(&customer_order("CON-2", "con-claim")).await;
    let token = app.customer_token("con-claim").await;
    let path = format!("/api/v1/orders/{}/requests", order["id"].as_str().unwrap());
    let request: Value =
        app.post(&path, &token, &json!({"kind": "contact_support", "message": "Hello?"})).await.json().await.unwrap();
    let (csr, _) = sign_in(&app, "ric@shop.test", None).await;
    let claim = format!("/api/v1/requests/{}/claim", request["id"].as_str().unwrap());
    let res = csr.write(&app, reqwest::Method::POST, &claim).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let claimed: Value = res.json().await.unwrap();
    assert!(claimed["claimed_by"].as_str().unwrap().contains("ric@shop.test"), "{claimed}");
    let resolve = format!("/api/v1/requests/{}/resolve", request["id"].as_str().unwrap());
    let res = csr
        .write(&app, reqwest::Method::POST, &resolve)
        .json(&json!({"status": "resolved", "resolution": "On its way."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(csr.write(&app, reqwest::Method::POST, &claim).send().await.unwrap().status(), 409, "closed");
    app.stop().await;
}
