//! Live order updates (issue 11): Server-Sent Events and WebSocket streams
//! fed from the `order_events` log, through real api replicas, the worker and
//! Redis pub/sub.

use std::time::Duration;

use chrono::Utc;
use diesel_async::RunQueryDsl;
use ordertrack_shared::models::Order;
use ordertrack_shared::webhooks::carriers::sign_fedex;
use ordertrack_tests::live::{RedisServer, SseEvent, SseStream, WsClient};
use ordertrack_tests::{customer_order, eventually, Options, TestApp, FEDEX_WEBHOOK_SECRET, PUBLIC_BASE_URL};
use serde_json::{json, Value};
use tokio::time::Instant;

/// How soon a change must reach a connected client (issue 11).
const LIVE: Duration = Duration::from_secs(2);
/// Deadline of waits that are not about latency: generous for a loaded
/// machine, and only a failing test ever waits it out.
const WAIT: Duration = Duration::from_secs(10);

const FEDEX_NUMBER: &str = "123456789012";

/// What is left until `deadline`.
fn left(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

fn id_of(order: &Value) -> String {
    order["id"].as_str().expect("order id").to_owned()
}

/// `?name=value`, the value URL-encoded.
fn query(name: &str, value: &str) -> String {
    format!("?{name}={}", url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>())
}

async fn tracking_code(app: &TestApp, order_id: &str) -> String {
    let conn = app.db.get().await.unwrap();
    Order::find(&conn, order_id.parse().unwrap()).await.unwrap().tracking_code
}

/// The next status of the loop confirmed <-> on_hold (orders start confirmed),
/// so a test can change an order as often as it needs.
async fn step(app: &TestApp, order_id: &str, current: &str) -> String {
    let next = if current == "confirmed" { "on_hold" } else { "confirmed" };
    app.set_status(order_id, next).await;
    next.to_owned()
}

/// A timeline event of a status change to `status` on `order_id`.
fn assert_status_change(event: &SseEvent, order_id: &str, status: &str) {
    assert_eq!(event.event, "timeline", "{event:?}");
    assert_eq!(event.data["kind"], "status_change", "{event:?}");
    assert_eq!(event.data["order_id"], order_id, "{event:?}");
    assert_eq!(event.data["entry"]["status"], status, "{event:?}");
    assert!(event.id.is_some(), "a timeline event has an id: {event:?}");
    assert_eq!(event.id, event.data["id"].as_i64(), "the SSE id is the event's id: {event:?}");
}

async fn mint_ticket(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post("/api/v1/stream-tickets", token, &body).await
}

async fn ticket(app: &TestApp, token: &str, body: Value) -> String {
    let res = mint_ticket(app, token, body.clone()).await;
    assert_eq!(res.status(), 201, "ticket for {body}");
    let minted: Value = res.json().await.unwrap();
    assert!(minted["expires_at"].is_string(), "{minted}");
    minted["ticket"].as_str().expect("a ticket").to_owned()
}

fn fedex_pickup(number: &str) -> Value {
    json!({"output": {"completeTrackResults": [{"trackingNumber": number, "trackResults": [{
        "trackingNumberInfo": {"trackingNumber": number},
        "dateAndTimes": [],
        "scanEvents": [{
            "date": "2030-09-24T08:12:00-05:00", "eventType": "PU", "derivedStatusCode": "PU",
            "eventDescription": "Picked up", "exceptionCode": "", "exceptionDescription": "",
            "scanLocation": {"city": "MEMPHIS", "stateOrProvinceCode": "TN", "countryCode": "US"}
        }]
    }]}]}})
}

async fn post_fedex(app: &TestApp, body: &Value) -> reqwest::Response {
    let raw = serde_json::to_vec(body).unwrap();
    app.http
        .post(app.url("/webhooks/fedex"))
        .header("content-type", "application/json")
        .header("fdx-signature", sign_fedex(&raw, FEDEX_WEBHOOK_SECRET))
        .body(raw)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn changes_through_one_replica_and_the_worker_reach_clients_of_another() {
    let app = TestApp::spawn().await;
    let replica_b = app.another_api();
    let id = id_of(&app.create_order(&customer_order("SO-L1", "lena")).await);
    // Orders are recorded before the clients connect: only what follows counts.
    let since = Utc::now();
    let token = app.customer_token("lena").await;
    let ws_token = app.customer_token("lena").await;

    let (status, mut mine) = SseStream::connect(&format!("{replica_b}/api/v1/me/events"), Some(&token), None).await;
    assert_eq!(status, 200, "{}", mine.error);
    assert!(
        mine.content_type.as_deref().unwrap_or_default().starts_with("text/event-stream"),
        "{:?}",
        mine.content_type
    );
    let (status, mut one) =
        SseStream::connect(&format!("{replica_b}/api/v1/orders/{id}/events"), Some(&token), None).await;
    assert_eq!(status, 200, "{}", one.error);
    let mut ws = WsClient::connect(&format!("{replica_b}/api/v1/ws"), Some(&ws_token), None).await.expect("upgrade");
    let answer = ws.subscribe(json!({"order_id": id})).await;
    assert_eq!((&answer["type"], &answer["order_id"]), (&json!("subscribed"), &json!(id)), "{answer}");
    mine.skip_recorded_before(since);
    one.skip_recorded_before(since);
    ws.skip_recorded_before(since);

    // A status change made through replica A: on every client within LIVE.
    app.set_status(&id, "processing").await;
    let deadline = Instant::now() + LIVE;
    let mut last_ids = Vec::new();
    for (name, stream) in [("me", &mut mine), ("order", &mut one)] {
        let event =
            stream.next_event(left(deadline)).await.unwrap_or_else(|| panic!("{name}: nothing within {LIVE:?}"));
        assert_status_change(&event, &id, "processing");
        last_ids.push(event.id.unwrap());
    }
    assert_eq!(last_ids[0], last_ids[1], "one event, one id, on every stream");
    assert_eq!(mine.retry, Some(3000), "the stream starts with `retry: 3000`");
    let message = ws.next(left(deadline)).await.expect("the change over WebSocket");
    assert_eq!(message["type"], "event", "{message}");
    assert_eq!(message["event"]["kind"], "status_change", "{message}");
    assert_eq!(message["event"]["entry"]["status"], "processing", "{message}");
    assert_eq!(message["event"]["id"].as_i64(), Some(last_ids[0]), "{message}");

    // A parcel added through replica A.
    let res = app
        .post(
            &format!("/api/v1/orders/{id}/shipments"),
            &app.service_token,
            &json!({"carrier": "fedex", "tracking_number": FEDEX_NUMBER}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let deadline = Instant::now() + LIVE;
    for (index, (name, stream)) in [("me", &mut mine), ("order", &mut one)].into_iter().enumerate() {
        let event = stream
            .next_of_kind("shipment_added", left(deadline))
            .await
            .unwrap_or_else(|| panic!("{name}: no shipment"));
        assert_eq!(event.data["entry"]["shipment"]["tracking_number"], FEDEX_NUMBER, "{event:?}");
        assert!(event.id.unwrap() > last_ids[index]);
        last_ids[index] = event.id.unwrap();
    }
    let event = ws.next_event_of_kind("shipment_added", left(deadline)).await.expect("the parcel over WebSocket");
    assert_eq!(event["entry"]["shipment"]["tracking_number"], FEDEX_NUMBER, "{event}");

    // A carrier scan, applied by the worker.
    let res = post_fedex(&app, &fedex_pickup(FEDEX_NUMBER)).await;
    assert_eq!(res.status(), 202);
    app.run_pending_jobs().await;
    let deadline = Instant::now() + LIVE;
    for (index, (name, stream)) in [("me", &mut mine), ("order", &mut one)].into_iter().enumerate() {
        let event = stream
            .next_of_kind("carrier_event", left(deadline))
            .await
            .unwrap_or_else(|| panic!("{name}: no carrier event within {LIVE:?} of the worker's run"));
        assert_eq!(event.data["order_id"], id, "{event:?}");
        assert_eq!(event.data["entry"]["tracking_status"], "in_transit", "{event:?}");
        assert!(event.id.unwrap() > last_ids[index]);
    }
    let event = ws.next_event_of_kind("carrier_event", left(deadline)).await.expect("the scan over WebSocket");
    assert_eq!(event["entry"]["tracking_status"], "in_transit", "{event}");

    drop((mine, one, ws));
    app.stop().await;
}

#[tokio::test]
async fn a_client_that_reconnects_with_its_last_event_id_gets_exactly_what_it_missed() {
    let app = TestApp::spawn().await;
    let replica_b = app.another_api();
    let id = id_of(&app.create_order(&customer_order("SO-L2", "mira")).await);
    let since = Utc::now();
    let token = app.customer_token("mira").await;
    let path = format!("/api/v1/orders/{id}/events");

    let (status, mut stream) = SseStream::connect(&app.url(&path), Some(&token), None).await;
    assert_eq!(status, 200, "{}", stream.error);
    stream.skip_recorded_before(since);
    let mut current = step(&app, &id, "confirmed").await;
    let seen = stream.next_event(WAIT).await.expect("the first change");
    assert_status_change(&seen, &id, &current);
    let mut last_id = seen.id.unwrap();

    // Once with the header (on replica A), once with the query parameter (on
    // replica B: ids are the same everywhere).
    for by_header in [true, false] {
        drop(stream);
        let mut missed = Vec::new();
        for _ in 0..3 {
            current = step(&app, &id, &current).await;
            missed.push(current.clone());
        }
        let (status, resumed) = if by_header {
            SseStream::connect(&app.url(&path), Some(&token), Some(last_id)).await
        } else {
            let url = format!("{replica_b}{path}{}", query("last_event_id", &last_id.to_string()));
            SseStream::connect(&url, Some(&token), None).await
        };
        stream = resumed;
        assert_eq!(status, 200, "{}", stream.error);
        for expected in &missed {
            let event = stream.next_event(WAIT).await.unwrap_or_else(|| panic!("missed {expected} not replayed"));
            assert_status_change(&event, &id, expected);
            assert!(event.id.unwrap() > last_id, "ids increase: {} after {last_id}", event.id.unwrap());
            last_id = event.id.unwrap();
        }
        // Then live, and the replay held nothing more: the next event is the new change.
        current = step(&app, &id, &current).await;
        let live = stream.next_event(WAIT).await.expect("the live change after the replay");
        assert_status_change(&live, &id, &current);
        assert!(live.id.unwrap() > last_id);
        last_id = live.id.unwrap();
    }
    drop(stream);
    // Every event left the inbox, and the tailer vacuumed the dead rows that
    // leaves (the harness vacuums after every pass that moved one).
    let vacuumed = eventually(WAIT, || async {
        let mut conn = app.db.get().await.unwrap();
        let inbox: Inbox = diesel::sql_query(
            "SELECT (SELECT count(*) FROM order_event_inbox) AS waiting,
                    (SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'order_event_inbox') AS vacuums",
        )
        .get_result(&mut conn)
        .await
        .unwrap();
        inbox.waiting == 0 && inbox.vacuums > 0
    })
    .await;
    assert!(vacuumed, "the event inbox is emptied and vacuumed");
    app.stop().await;
}

#[derive(diesel::QueryableByName)]
struct Inbox {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    waiting: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    vacuums: i64,
}

#[derive(diesel::QueryableByName)]
struct EventId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The ids in the event log: all of them, or those of `order_id`'s status changes.
async fn event_ids(app: &TestApp, status_changes_of: Option<&str>) -> Vec<i64> {
    let mut conn = app.db.get().await.unwrap();
    let query = diesel::sql_query(
        "SELECT id FROM order_events WHERE $1::uuid IS NULL OR (order_id = $1 AND kind = 'status_change') ORDER BY id",
    )
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Uuid>, _>(
        status_changes_of.map(|id| id.parse::<uuid::Uuid>().unwrap()),
    );
    query.load::<EventId>(&mut conn).await.unwrap().into_iter().map(|e| e.id).collect()
}

#[tokio::test]
async fn pruning_takes_the_oldest_ids_only_and_a_client_resuming_before_them_is_told_to_refetch() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_order(&customer_order("SO-L9", "ines")).await);
    let token = app.customer_token("ines").await;
    let mut statuses = Vec::new();
    let mut current = "confirmed".to_owned();
    for _ in 0..4 {
        current = step(&app, &id, &current).await;
        statuses.push(current.clone());
    }
    // (The order's creation is logged as its first status change.)
    let logged = eventually(WAIT, || async { event_ids(&app, Some(&id)).await.len() == 5 }).await;
    assert!(logged, "the creation and four changes logged");
    let changes = event_ids(&app, Some(&id)).await.split_off(1);
    // Past the retention: everything up to the first change, and the third
    // change, which is older than the second (as an event whose writer's
    // transaction began first but committed later is).
    let mut conn = app.db.get().await.unwrap();
    diesel::sql_query("UPDATE order_events SET created_at = now() - interval '40 days' WHERE id <= $1 OR id = $2")
        .bind::<diesel::sql_types::BigInt, _>(changes[0])
        .bind::<diesel::sql_types::BigInt, _>(changes[2])
        .execute(&mut conn)
        .await
        .unwrap();
    let before = event_ids(&app, None).await;

    app.run_job(ordertrack_shared::jobs::MaintenanceJob::PruneOrderEvents { tick: 1 }).await;

    // (Events logged since, as the worker's "sent" entries, are kept too.)
    let kept = event_ids(&app, None).await;
    assert!(kept.iter().all(|&e| e > changes[0]), "the ids up to the first change go: {kept:?}");
    let behind: Vec<i64> = before.into_iter().filter(|&e| e > changes[0]).collect();
    assert!(behind.iter().all(|e| kept.contains(e)), "nothing behind a younger event goes: {behind:?}, {kept:?}");
    assert!(kept.contains(&changes[2]), "the old third change stays behind the second");

    let path = format!("/api/v1/orders/{id}/events");
    let (status, mut stream) = SseStream::connect(&app.url(&path), Some(&token), Some(changes[0] - 1)).await;
    assert_eq!(status, 200, "{}", stream.error);
    let reset = stream.next_event(WAIT).await.expect("a reset");
    assert_eq!((reset.event.as_str(), &reset.data["reason"]), ("reset", &json!("beyond_retention")), "{reset:?}");
    drop(stream);

    let (status, mut stream) = SseStream::connect(&app.url(&path), Some(&token), Some(changes[0])).await;
    assert_eq!(status, 200, "{}", stream.error);
    for (change, status) in changes[1..].iter().zip(&statuses[1..]) {
        let event = stream.next_event(WAIT).await.unwrap_or_else(|| panic!("change {change} not replayed"));
        assert_status_change(&event, &id, status);
        assert_eq!(event.id, Some(*change));
    }
    drop(stream);
    app.stop().await;
}

#[tokio::test]
async fn streams_carry_on_through_a_redis_restart() {
    // A Redis of this test's own: the shared one on 6379 serves other tests.
    let mut redis = RedisServer::start().await;
    let app = TestApp::spawn_with(Options {
        api_redis_url: redis.url(),
        redis_url: Some(redis.url()),
        // The subject is the api's streams; no job needs to run.
        worker: false,
        // Pushes that find Redis down give up soon (the outbox sweeper has them).
        enqueue_timeout: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    let id = id_of(&app.create_order(&customer_order("SO-L3", "rosa")).await);
    let since = Utc::now();
    let token = app.customer_token("rosa").await;
    let (status, mut stream) =
        SseStream::connect(&app.url(&format!("/api/v1/orders/{id}/events")), Some(&token), None).await;
    assert_eq!(status, 200, "{}", stream.error);
    stream.skip_recorded_before(since);
    app.set_status(&id, "on_hold").await;
    let before = stream.next_event(WAIT).await.expect("a change while Redis is up");
    assert_status_change(&before, &id, "on_hold");

    redis.kill();
    // Redis down: the change still succeeds (set_status asserts 200) and the
    // replica's tailer finds it by polling.
    app.set_status(&id, "confirmed").await;
    let during = stream.next_event(WAIT).await.expect("the change made while Redis was down");
    assert_status_change(&during, &id, "confirmed");
    assert!(during.id > before.id);

    redis.restart().await;
    app.set_status(&id, "on_hold").await;
    let after = stream.next_event(WAIT).await.expect("the change made after Redis came back");
    assert_status_change(&after, &id, "on_hold");
    assert!(after.id > during.id);
    // Nothing was delivered twice: the next event is the next change.
    app.set_status(&id, "confirmed").await;
    let next = stream.next_event(WAIT).await.expect("one more change");
    assert_status_change(&next, &id, "confirmed");
    assert!(next.id > after.id);

    drop(stream);
    app.stop().await;
    drop(redis);
}

#[tokio::test]
async fn streams_are_only_for_those_who_may_see_the_order() {
    let app = TestApp::spawn().await;
    let order_a = id_of(&app.create_order(&customer_order("SO-A", "anna")).await);
    let order_b = id_of(&app.create_order(&customer_order("SO-B", "bert")).await);
    let since = Utc::now();
    let anna = app.customer_token("anna").await;
    let bert = app.customer_token("bert").await;
    let events = |order: &str| app.url(&format!("/api/v1/orders/{order}/events"));

    // Another customer's order does not exist for you, on SSE and WebSocket.
    let (status, refused) = SseStream::connect(&events(&order_a), Some(&bert), None).await;
    assert_eq!(status, 404, "{}", refused.error);
    let mut ws = WsClient::connect(&app.url("/api/v1/ws"), Some(&bert), None).await.expect("upgrade");
    let answer = ws.subscribe(json!({"order_id": order_a})).await;
    assert_eq!(answer["type"], "error", "{answer}");
    assert_eq!(answer["code"], "not_found", "{answer}");
    let answer = ws.subscribe(json!({"order_id": order_b})).await;
    assert_eq!(answer["type"], "subscribed", "one's own order: {answer}");
    drop(ws);

    // A wrong tracking code; no credentials at all; a bad token.
    let (status, _) = SseStream::connect(&app.url("/api/v1/tracking/AAAAAAAAAAAA/events"), None, None).await;
    assert_eq!(status, 404);
    let (status, _) = SseStream::connect(&events(&order_a), None, None).await;
    assert_eq!(status, 401);
    let (status, _) = SseStream::connect(&events(&order_a), Some("otk_not_a_token"), None).await;
    assert_eq!(status, 401);

    // A stream ticket opens the stream once.
    let one_use = ticket(&app, &anna, json!({"scope": "order", "order_id": order_a})).await;
    let with_ticket = format!("{}{}", events(&order_a), query("ticket", &one_use));
    let (status, mut stream) = SseStream::connect(&with_ticket, None, None).await;
    assert_eq!(status, 200, "{}", stream.error);
    stream.skip_recorded_before(since);
    app.set_status(&order_a, "on_hold").await;
    let event = stream.next_event(WAIT).await.expect("the ticket's stream works");
    assert_status_change(&event, &order_a, "on_hold");
    drop(stream);
    let (status, _) = SseStream::connect(&with_ticket, None, None).await;
    assert_eq!(status, 401, "a ticket is single-use");

    // A ticket is bound to its order and its scope.
    let for_a = ticket(&app, &anna, json!({"scope": "order", "order_id": order_a})).await;
    let (status, _) = SseStream::connect(&format!("{}{}", events(&order_b), query("ticket", &for_a)), None, None).await;
    assert_eq!(status, 401, "a ticket for order A on order B");
    let for_a = ticket(&app, &anna, json!({"scope": "order", "order_id": order_a})).await;
    let url = format!("{}{}", app.url("/api/v1/me/events"), query("ticket", &for_a));
    let (status, _) = SseStream::connect(&url, None, None).await;
    assert_eq!(status, 401, "an order ticket on /me/events");
    let for_me = ticket(&app, &anna, json!({"scope": "me"})).await;
    let url = format!("{}{}", app.url("/api/v1/me/events"), query("ticket", &for_me));
    let (status, stream) = SseStream::connect(&url, None, None).await;
    assert_eq!(status, 200, "{}", stream.error);
    drop(stream);

    // Minting: only for orders one sees, only scopes one's role may use.
    let res = mint_ticket(&app, &anna, json!({"scope": "order", "order_id": order_b})).await;
    assert_eq!(res.status(), 404);
    let res = mint_ticket(&app, &anna, json!({"scope": "admin"})).await;
    assert_eq!(res.status(), 403);
    let for_staff = ticket(&app, &app.csr_token, json!({"scope": "admin"})).await;
    let url = format!("{}{}", app.url("/api/v1/admin/events"), query("ticket", &for_staff));
    let (status, stream) = SseStream::connect(&url, None, None).await;
    assert_eq!(status, 200, "{}", stream.error);
    drop(stream);

    // WebSocket: a ticket of scope ws; a foreign Origin is refused.
    let for_ws = ticket(&app, &anna, json!({"scope": "ws"})).await;
    let url = format!("{}{}", app.url("/api/v1/ws"), query("ticket", &for_ws));
    let mut ws = WsClient::connect(&url, None, None).await.expect("upgrade with a ticket");
    let answer = ws.subscribe(json!({"order_id": order_a})).await;
    assert_eq!(answer["type"], "subscribed", "{answer}");
    drop(ws);
    let refused = WsClient::connect(&app.url("/api/v1/ws"), Some(&anna), Some("https://evil.example.test")).await;
    assert_eq!(refused.err(), Some(403), "a foreign Origin");
    let ws = WsClient::connect(&app.url("/api/v1/ws"), Some(&anna), Some(PUBLIC_BASE_URL)).await;
    assert!(ws.is_ok(), "our own Origin");
    drop(ws);
    app.stop().await;
}

#[tokio::test]
async fn one_token_may_hold_only_so_many_streams() {
    let app = TestApp::spawn_with(Options {
        stream_max_per_principal: 3,
        // A closed stream is noticed at the next write: a short heartbeat.
        stream_heartbeat: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    let id = id_of(&app.create_order(&customer_order("SO-L4", "nils")).await);
    let token = app.customer_token("nils").await;
    let url = app.url(&format!("/api/v1/orders/{id}/events"));
    let mut open = Vec::new();
    for _ in 0..3 {
        let (status, stream) = SseStream::connect(&url, Some(&token), None).await;
        assert_eq!(status, 200, "{}", stream.error);
        open.push(stream);
    }
    let (status, refused) = SseStream::connect(&url, Some(&token), None).await;
    assert_eq!(status, 429, "{}", refused.error);
    assert_eq!(refused.error["error"], "rate_limited", "{}", refused.error);
    let (status, refused) = SseStream::connect(&app.url("/api/v1/me/events"), Some(&token), None).await;
    assert_eq!(status, 429, "the limit is per principal, over every stream: {}", refused.error);

    // Another token is another principal.
    let other = app.customer_token("nils").await;
    let (status, stream) = SseStream::connect(&url, Some(&other), None).await;
    assert_eq!(status, 200, "{}", stream.error);
    drop(stream);

    // A closed stream gives its place back (the server sees the close at its
    // next write at the latest: a heartbeat).
    drop(open.pop());
    let (url, token) = (&url, &token);
    let freed = eventually(WAIT, || async move {
        let (status, _) = SseStream::connect(url, Some(token), None).await;
        status == 200
    })
    .await;
    assert!(freed, "a closed stream still counts against the limit");
    drop(open);
    app.stop().await;
}

#[tokio::test]
async fn idle_streams_get_heartbeats() {
    let heartbeat = Duration::from_millis(200);
    let app = TestApp::spawn_with(Options { stream_heartbeat: heartbeat, ..Options::default() }).await;
    let id = id_of(&app.create_order(&customer_order("SO-L5", "otto")).await);
    let token = app.customer_token("otto").await;
    let (status, mut stream) =
        SseStream::connect(&app.url(&format!("/api/v1/orders/{id}/events")), Some(&token), None).await;
    assert_eq!(status, 200, "{}", stream.error);

    // The heartbeat is a clock, so here waiting on real time is the subject:
    // three pings take ~600 ms; the deadline only bounds a failure.
    let pings = stream.wait_for_comments(3, WAIT).await;
    assert!(pings >= 3, "{pings} heartbeats");
    assert!(stream.comments.iter().all(|c| c == "ping"), "{:?}", stream.comments);
    assert!(stream.retry.is_some(), "the stream starts with `retry:`");
    assert!(!stream.ended());

    // WebSocket: a ping frame every heartbeat; the client's pongs keep the
    // socket open well past three heartbeats.
    let mut ws = WsClient::connect(&app.url("/api/v1/ws"), Some(&token), None).await.expect("upgrade");
    let socket = &ws;
    assert!(eventually(WAIT, || async move { socket.pings() >= 5 }).await, "{} ping frames", ws.pings());
    ws.send(json!({"type": "ping"})).await;
    let answer = ws.next(WAIT).await.expect("an answer to ping");
    assert_eq!(answer, json!({"type": "pong"}));
    drop((stream, ws));
    app.stop().await;
}

#[tokio::test]
async fn guests_follow_the_tracking_link_and_only_staff_see_internal_fields() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_order(&customer_order("SO-L6", "gina")).await);
    let since = Utc::now();
    let code = tracking_code(&app, &id).await;
    let customer = app.customer_token("gina").await;

    let (status, mut guest) =
        SseStream::connect(&app.url(&format!("/api/v1/tracking/{code}/events")), None, None).await;
    assert_eq!(status, 200, "{}", guest.error);
    let (status, mut own) =
        SseStream::connect(&app.url(&format!("/api/v1/orders/{id}/events")), Some(&customer), None).await;
    assert_eq!(status, 200, "{}", own.error);
    let (status, mut csr) =
        SseStream::connect(&app.url(&format!("/api/v1/orders/{id}/events")), Some(&app.csr_token), None).await;
    assert_eq!(status, 200, "{}", csr.error);
    let (status, mut admin) = SseStream::connect(&app.url("/api/v1/admin/events"), Some(&app.admin_token), None).await;
    assert_eq!(status, 200, "{}", admin.error);
    let (status, _) = SseStream::connect(&app.url("/api/v1/admin/events"), Some(&customer), None).await;
    assert_eq!(status, 403, "customers have no staff stream");
    // A socket without credentials may follow a tracking code.
    let mut guest_ws = WsClient::connect(&app.url("/api/v1/ws"), None, None).await.expect("upgrade");
    let answer = guest_ws.subscribe(json!({"tracking_code": code})).await;
    assert_eq!(answer["type"], "subscribed", "{answer}");
    for stream in [&mut guest, &mut own, &mut csr, &mut admin] {
        stream.skip_recorded_before(since);
    }
    guest_ws.skip_recorded_before(since);

    app.set_status(&id, "on_hold").await; // with the note "test step"
    for (name, stream) in [("guest", &mut guest), ("customer", &mut own)] {
        let event = stream.next_event(WAIT).await.unwrap_or_else(|| panic!("{name}: no event"));
        assert_status_change(&event, &id, "on_hold");
        let entry = event.data["entry"].as_object().unwrap();
        assert!(!entry.contains_key("actor") && !entry.contains_key("note"), "{name} sees internal fields: {entry:?}");
    }
    let message = guest_ws.next_of_type("event", WAIT).await.expect("the change over WebSocket");
    assert_eq!(message["event"]["entry"]["status"], "on_hold", "{message}");
    let entry = message["event"]["entry"].as_object().unwrap();
    assert!(!entry.contains_key("actor") && !entry.contains_key("note"), "{entry:?}");
    for (name, stream) in [("csr on the order", &mut csr), ("admin stream", &mut admin)] {
        let event = stream.next_of_kind("status_change", WAIT).await.unwrap_or_else(|| panic!("{name}: no event"));
        assert_status_change(&event, &id, "on_hold");
        assert_eq!(event.data["entry"]["note"], "test step", "{name}: {event:?}");
        assert!(event.data["entry"]["actor"].is_string(), "{name}: {event:?}");
    }

    // Staff-only events (the notifications the worker sends now) never reach
    // guests or customers: their next event is the next change.
    app.run_pending_jobs().await;
    app.set_status(&id, "confirmed").await;
    for (name, stream) in [("guest", &mut guest), ("customer", &mut own)] {
        let event = stream.next_event(WAIT).await.unwrap_or_else(|| panic!("{name}: no event"));
        assert_status_change(&event, &id, "confirmed");
    }
    let message = guest_ws.next(WAIT).await.expect("the second change over WebSocket");
    assert_eq!(message["event"]["kind"], "status_change", "{message}");
    assert_eq!(message["event"]["entry"]["status"], "confirmed", "{message}");
    drop((guest, own, csr, admin, guest_ws));
    app.stop().await;
}

#[tokio::test]
async fn staff_streams_filter_by_status_and_by_the_requests_queue() {
    let app = TestApp::spawn().await;
    let held = id_of(&app.create_order(&customer_order("SO-L7", "hugo")).await);
    let other = id_of(&app.create_order(&customer_order("SO-L8", "ines")).await);
    let since = Utc::now();
    let hugo = app.customer_token("hugo").await;
    let admin_events = |filter: &str| app.url(&format!("/api/v1/admin/events{filter}"));
    let (status, mut on_hold) = SseStream::connect(&admin_events("?status=on_hold"), Some(&app.csr_token), None).await;
    assert_eq!(status, 200, "{}", on_hold.error);
    let (status, mut requests) = SseStream::connect(&admin_events("?queue=requests"), Some(&app.csr_token), None).await;
    assert_eq!(status, 200, "{}", requests.error);
    on_hold.skip_recorded_before(since);
    requests.skip_recorded_before(since);

    // An order that never is on hold stays off the filtered stream.
    app.set_status(&other, "processing").await;
    app.set_status(&held, "on_hold").await;
    // (The worker's notifications about both orders come too: staff-only
    // events of an order on hold belong on this stream.)
    let event = loop {
        let event = on_hold.next_event(WAIT).await.expect("the on_hold order's change");
        assert_eq!(event.data["order_id"], held, "only orders on hold: {event:?}");
        if event.kind() == "status_change" {
            break event;
        }
    };
    assert_status_change(&event, &held, "on_hold");

    // The requests queue: customer requests only.
    let res = app
        .post(
            &format!("/api/v1/orders/{held}/shipments"),
            &app.service_token,
            &json!({"carrier": "fedex", "tracking_number": FEDEX_NUMBER}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post(
            &format!("/api/v1/orders/{held}/requests"),
            &hugo,
            &json!({"kind": "contact_support", "message": "Where is my parcel?"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
    let event = requests.next_event(WAIT).await.expect("the request");
    assert_eq!(event.event, "timeline", "{event:?}");
    assert_eq!(event.data["kind"], "customer_request", "only requests on the queue: {event:?}");
    assert_eq!(event.data["order_id"], held, "{event:?}");
    drop((on_hold, requests));
    app.stop().await;
}
