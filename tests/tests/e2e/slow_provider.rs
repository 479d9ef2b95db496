//! A slow provider does not hold the worker's database pool: a send waits on
//! the network with no connection, so the sends in flight are bounded by the
//! queue's concurrency, not by the pool's size.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ordertrack_shared::domain::{Channel, Locale, NotificationEvent, NotificationStatus};
use ordertrack_shared::jobs::{Enqueuer, Queue, SendNotification};
use ordertrack_shared::models::NewNotification;
use ordertrack_tests::{customer_order, eventually, Options, TestApp, REDIS_URL};
use serde_json::json;
use tokio::sync::watch;
use uuid::Uuid;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, Request, ResponseTemplate};

const MESSAGES: usize = 12;
/// The gateway answers each SMS this long after it arrived: SMS that arrive
/// within it of the first were in flight together.
const ANSWER_AFTER: Duration = Duration::from_secs(3);

#[tokio::test]
async fn sends_waiting_on_a_slow_gateway_are_not_bounded_by_the_database_pool() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let order = app.create_order(&customer_order("SO-SLOW", "slow")).await;
    let order_id: Uuid = order["id"].as_str().unwrap().parse().unwrap();

    let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
    app.providers.twilio.reset().await;
    let seen = arrivals.clone();
    Mock::given(method("POST"))
        .and(path_regex(r"/Messages\.json$"))
        .respond_with(move |_: &Request| {
            seen.lock().unwrap().push(Instant::now());
            ResponseTemplate::new(201)
                .set_body_json(json!({"sid": format!("SM{}", Uuid::new_v4().simple()), "status": "queued"}))
                .set_delay(ANSWER_AFTER)
        })
        .mount(&app.providers.twilio)
        .await;

    let enqueuer = Enqueuer::new(REDIS_URL, &app.namespace, Duration::from_secs(5)).unwrap();
    let conn = app.db.get().await.unwrap();
    for i in 0..MESSAGES {
        let row = NewNotification::for_order(
            order_id,
            &format!("slow-{i}"),
            NotificationEvent::Custom,
            Channel::Sms,
            format!("+3460{i:07}"),
            Locale::Es,
        )
        .payload(json!({"message": "Tu pedido llega mañana"}))
        .insert_once(&conn)
        .await
        .unwrap()
        .unwrap();
        enqueuer.push(row.queue, SendNotification { notification_id: row.id }, None).await.unwrap();
    }
    drop(conn);

    // Four connections: the send path's three grouped statements and one
    // more. When a send held one until the gateway answered, no more SMS
    // than connections were ever on their way (4 of 12 here).
    let mut config = app.worker_config.clone();
    config.queues = vec![Queue::NotificationsBulk];
    config.concurrency_bulk = MESSAGES;
    config.store.database_pool_size = 4;
    let (stop, shutdown) = watch::channel(false);
    let worker = tokio::spawn(ordertrack_worker::run(config, shutdown));
    let all_sent = eventually(Duration::from_secs(60), || async {
        let rows = app.notifications(order_id).await;
        rows.iter().filter(|n| n.channel == Channel::Sms && n.status == NotificationStatus::Sent).count() == MESSAGES
    })
    .await;
    let _ = stop.send(true);
    let _ = worker.await;
    assert!(all_sent, "not every SMS was sent");

    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), MESSAGES, "each SMS reached the gateway once");
    let first = *arrivals.iter().min().unwrap();
    let together = arrivals.iter().filter(|at| at.duration_since(first) < ANSWER_AFTER).count();
    assert!(
        together >= MESSAGES * 2 / 3,
        "only {together} of {MESSAGES} SMS were at the gateway together: sends are held back by the pool"
    );
}
