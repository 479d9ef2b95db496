//! The public edges: per-IP limits on failed authentication, the Twilio
//! callback and unsubscribe links; refusals audited once per IP and reason
//! per window, with the real actor, the client IP and the request id.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures::StreamExt;
use ordertrack_shared::models::AuditEntry;
use ordertrack_shared::schema::audit_log;
use ordertrack_shared::webhooks::IpAllowlist;
use ordertrack_tests::{eventually, start_of_a_rate_window, TestApp};
use serde_json::Value;

/// How long a refusal's audit row, written by a task the api spawns, may take.
const AUDIT_DEADLINE: Duration = Duration::from_secs(60);

/// A replica that believes `X-Forwarded-For` from loopback, so each test
/// request can come from a client IP of its own.
fn behind_a_proxy(app: &TestApp, change: impl FnOnce(&mut ordertrack_api::config::ApiConfig)) -> String {
    app.another_api_with(|config| {
        config.webhooks.trusted_proxies = IpAllowlist::parse("127.0.0.1/32").unwrap();
        change(config);
    })
}

async fn rows_from(app: &TestApp, ip: &str) -> Vec<AuditEntry> {
    let mut conn = app.db.get().await.unwrap();
    audit_log::table
        .filter(audit_log::ip.eq(ip))
        .order(audit_log::id.asc())
        .select(AuditEntry::as_select())
        .load(&mut conn)
        .await
        .unwrap()
}

async fn rows_of_request(app: &TestApp, request_id: &str) -> Vec<AuditEntry> {
    let mut conn = app.db.get().await.unwrap();
    audit_log::table
        .filter(audit_log::request_id.eq(request_id))
        .select(AuditEntry::as_select())
        .load(&mut conn)
        .await
        .unwrap()
}

fn request_id(res: &reqwest::Response) -> String {
    res.headers().get("x-request-id").expect("X-Request-Id on every response").to_str().unwrap().to_owned()
}

/// The value of one sample of the api's `/metrics`.
async fn metric(app: &TestApp, sample: &str) -> f64 {
    let text = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines().find_map(|line| line.strip_prefix(sample)?.trim().parse().ok()).unwrap_or(0.0)
}

#[tokio::test]
async fn a_flood_of_random_tokens_from_one_ip_is_refused_after_the_limit_with_a_bounded_audit() {
    const LIMIT: u32 = 50;
    const FLOOD: usize = 10_000;
    let app = TestApp::spawn().await;
    let edge = behind_a_proxy(&app, |config| config.auth_failure_rate_per_minute = LIMIT);
    let url = format!("{edge}/api/v1/orders");
    start_of_a_rate_window().await;

    let minute = || chrono::Utc::now().timestamp() / 60;
    let first_window = minute();
    let started = Instant::now();
    let statuses: Vec<(u16, bool)> = futures::stream::iter(0..FLOOD)
        .map(|_| {
            let request = app
                .http
                .get(&url)
                .header("X-Forwarded-For", "198.51.100.7")
                .bearer_auth(format!("otk_{}", uuid::Uuid::new_v4().simple()));
            async move {
                let res = request.send().await.unwrap();
                (res.status().as_u16(), res.headers().contains_key("x-request-id"))
            }
        })
        .buffer_unordered(64)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let windows = (minute() - first_window + 1) as usize;
    let mut by_status = BTreeMap::new();
    for (status, _) in &statuses {
        *by_status.entry(*status).or_insert(0usize) += 1;
    }
    assert!(statuses.iter().all(|(_, id)| *id), "every answer carries X-Request-Id");
    let (unauthorized, limited) = (by_status.get(&401).copied(), by_status.get(&429).copied());
    // Fixed one-minute windows: a flood that a loaded machine stretched past
    // the minute gets the limit again in the next window, and no more.
    if windows == 1 {
        assert_eq!(unauthorized, Some(LIMIT as usize), "{by_status:?}");
    } else {
        let allowed = LIMIT as usize + 1..=LIMIT as usize * windows;
        assert!(unauthorized.is_some_and(|n| allowed.contains(&n)), "{windows} windows: {by_status:?}");
    }
    assert_eq!(unauthorized.unwrap_or(0) + limited.unwrap_or(0), FLOOD, "{by_status:?}");

    // The IP stays refused for the rest of the window, even with a real token
    // (a guess that happened to be right would not be told apart), while
    // another client IP is served.
    let blocked =
        app.http.get(&url).header("X-Forwarded-For", "198.51.100.7").bearer_auth(&app.csr_token).send().await.unwrap();
    assert_eq!(blocked.status(), 429);
    assert!((1..=60).contains(&blocked.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap()));
    assert_eq!(blocked.json::<Value>().await.unwrap()["error"], "rate_limited");
    let other =
        app.http.get(&url).header("X-Forwarded-For", "198.51.100.8").bearer_auth(&app.csr_token).send().await.unwrap();
    assert_eq!(other.status(), 200);

    // Requests without any token count the same way.
    let mut no_token = Vec::new();
    for _ in 0..=LIMIT {
        let res = app.http.get(&url).header("X-Forwarded-For", "198.51.100.9").send().await.unwrap();
        no_token.push(res.status().as_u16());
    }
    assert_eq!(no_token.iter().filter(|s| **s == 401).count(), LIMIT as usize);
    assert_eq!(no_token.last(), Some(&429));

    // A bounded handful of audit rows: one per reason (the failed token,
    // then the rate limit) and window, written off the request path.
    assert!(eventually(AUDIT_DEADLINE, || async { rows_from(&app, "198.51.100.7").await.len() >= 2 }).await);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rows = rows_from(&app, "198.51.100.7").await;
    println!(
        "flood: {FLOOD} requests with random tokens from one IP in {elapsed:?}: {by_status:?}; {} audit rows",
        rows.len()
    );
    for row in &rows {
        println!("  {} {} {}", row.created_at, row.action, row.after.as_ref().unwrap());
    }
    assert!(rows.len() <= 4, "at most 2 reasons x 2 windows: {rows:#?}");
    let reasons: Vec<(&str, &str)> =
        rows.iter().map(|r| (r.action.as_str(), r.after.as_ref().unwrap()["reason"].as_str().unwrap())).collect();
    assert!(reasons.contains(&("security.unauthenticated", "token_rejected")), "{reasons:?}");
    assert!(reasons.contains(&("security.rate_limited", "auth_failures")), "{reasons:?}");
    assert!(rows.iter().all(|r| r.actor == "anonymous" && r.request_id.is_some()));
    // Every refusal is counted, written or not.
    let suppressed =
        metric(&app, "security_refusals_total{action=\"security.rate_limited\",audit=\"suppressed\"}").await;
    assert!(suppressed >= (FLOOD - LIMIT as usize - 2) as f64, "{suppressed}");
    app.stop().await;
}

#[tokio::test]
async fn refusals_name_the_actor_and_the_client_ip_and_carry_the_request_id() {
    let app = TestApp::spawn().await;
    let edge = behind_a_proxy(&app, |_| {});
    let client = "203.0.113.5";

    // A known token's 403 names its holder.
    let res = app
        .http
        .get(format!("{edge}/api/v1/admin/audit"))
        .header("X-Forwarded-For", client)
        .header("X-Request-Id", "chosen-by-the-client")
        .bearer_auth(&app.csr_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let denied = request_id(&res);
    assert_ne!(denied, "chosen-by-the-client", "the server makes its own");
    assert!(eventually(AUDIT_DEADLINE, || async { !rows_of_request(&app, &denied).await.is_empty() }).await);
    let row = rows_of_request(&app, &denied).await.remove(0);
    assert_eq!(row.action, "security.permission_denied");
    assert!(row.actor.starts_with("csr:") && row.actor.contains("test csr"), "{}", row.actor);
    assert_eq!(row.role, "csr");
    assert_eq!(row.ip.as_deref(), Some(client));
    assert_eq!(row.target_id.as_deref(), Some("GET /api/v1/admin/audit"));

    // Successes and errors carry an id too, one per request; a staff
    // action's audit row has it and the client IP.
    let ok = app.http.get(format!("{edge}/healthz")).send().await.unwrap();
    let missing = app.http.get(format!("{edge}/api/v1/no-such-endpoint")).send().await.unwrap();
    assert_eq!((ok.status().as_u16(), missing.status().as_u16()), (200, 404));
    assert_ne!(request_id(&ok), request_id(&missing));
    let res = app
        .http
        .post(format!("{edge}/api/v1/tokens"))
        .header("X-Forwarded-For", client)
        .bearer_auth(&app.admin_token)
        .json(&serde_json::json!({"role": "csr", "label": "night shift"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let minted = rows_of_request(&app, &request_id(&res)).await;
    assert_eq!(minted.len(), 1);
    assert_eq!((minted[0].action.as_str(), minted[0].ip.as_deref()), ("token.mint", Some(client)));

    // A rejected webhook writes one row, not two.
    let res = app
        .http
        .post(format!("{edge}/webhooks/fedex"))
        .header("X-Forwarded-For", client)
        .header("fdx-signature", "forged")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let rejected = request_id(&res);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rows = rows_of_request(&app, &rejected).await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].action, "webhook.signature_rejected");
    assert_eq!(rows[0].ip.as_deref(), Some(client));
    app.stop().await;
}

#[tokio::test]
async fn the_twilio_callback_and_unsubscribe_links_are_limited_per_ip() {
    let app = TestApp::spawn().await;
    let edge = behind_a_proxy(&app, |config| {
        config.webhook_rate_per_minute = 3;
        config.unsubscribe_rate_per_minute = 3;
    });
    start_of_a_rate_window().await;
    let twilio = |ip: &'static str| {
        app.http
            .post(format!("{edge}/webhooks/twilio/status"))
            .header("X-Forwarded-For", ip)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", "forged")
            .body("MessageSid=SM1&MessageStatus=delivered")
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(twilio("198.51.100.20").await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    assert_eq!(twilio("198.51.100.21").await.unwrap().status(), 401, "another IP has its own window");

    // The page and the one-click form share one window per IP.
    let unsubscribe = |method: reqwest::Method| {
        app.http.request(method, format!("{edge}/u/not-a-token")).header("X-Forwarded-For", "198.51.100.22").send()
    };
    let mut statuses = Vec::new();
    for method in [reqwest::Method::GET, reqwest::Method::POST, reqwest::Method::GET, reqwest::Method::POST] {
        statuses.push(unsubscribe(method).await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, [404, 404, 404, 429]);

    // Three rejected callbacks from one IP: one signature row (the reason
    // repeats), one rate-limit row; the second IP has its own.
    assert!(eventually(AUDIT_DEADLINE, || async { rows_from(&app, "198.51.100.20").await.len() >= 2 }).await);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let actions: Vec<String> = rows_from(&app, "198.51.100.20").await.into_iter().map(|r| r.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "webhook.signature_rejected").count(), 1, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "security.rate_limited").count(), 1, "{actions:?}");
    assert_eq!(actions.len(), 2, "{actions:?}");
    app.stop().await;
}
