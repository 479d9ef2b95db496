use ordertrack_shared::domain::{AttemptOutcome, NotificationStatus};
use ordertrack_shared::jobs::{Queue, SendNotification};
use ordertrack_tests::{guest_order, Refusal, TestApp};
use serde_json::json;
use uuid::Uuid;

fn order_id(order: &serde_json::Value) -> Uuid {
    order["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_new_order_gets_a_confirmation_email_in_its_language() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("SO-1", "ana@example.com", "es-ES")).await;
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1, "one email");

    let mail = &app.smtp.received()[0];
    assert_eq!(mail.to, ["ana@example.com"]);
    assert_eq!(mail.subject(), "Pedido SO-1 confirmado");
    assert!(mail.parsed().ctype.mimetype == "multipart/alternative", "{:?}", mail.parsed().ctype);
    let text = mail.part("text/plain").expect("text part");
    let html = mail.part("text/html").expect("html part");
    assert!(text.contains("¡Gracias por tu pedido!"), "{text}");
    assert!(text.contains("Entrega estimada: 10/01/2030"), "{text}");
    assert!(text.contains("https://track.example.test/c/"), "the tracking link, as a click link: {text}");
    assert!(html.contains("<strong>SO-1</strong>") && html.contains("lang=\"es\""), "{html}");

    let notifications = app.notifications(order_id(&order)).await;
    assert_eq!(notifications.len(), 1);
    let n = &notifications[0];
    assert_eq!(n.status, NotificationStatus::Sent);
    assert_eq!(n.attempts, 1);
    assert_eq!(n.provider_message_id.as_deref(), mail.header("Message-ID").as_deref());
    let attempts = app.attempts(n.id).await;
    assert_eq!(attempts.len(), 1);
    assert_eq!((attempts[0].outcome, attempts[0].provider.as_str()), (AttemptOutcome::Sent, "smtp"));
    app.stop().await;
}

#[tokio::test]
async fn russian_and_romanian_orders_are_written_in_their_language() {
    let app = TestApp::spawn().await;
    app.create_order(&guest_order("SO-RU", "olga@example.com", "ru")).await;
    app.create_order(&guest_order("SO-RO", "ion@example.com", "ro")).await;
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 2);
    let mails = app.smtp.received();
    let ru = mails.iter().find(|m| m.to == ["olga@example.com"]).unwrap();
    assert_eq!(ru.subject(), "Заказ SO-RU подтверждён");
    assert!(ru.part("text/plain").unwrap().contains("Ожидаемая доставка: 10.01.2030"));
    let ro = mails.iter().find(|m| m.to == ["ion@example.com"]).unwrap();
    assert_eq!(ro.subject(), "Comanda SO-RO a fost confirmată");
    app.stop().await;
}

#[tokio::test]
async fn a_relay_failing_twice_then_accepting_sends_once_after_three_attempts() {
    let app = TestApp::spawn().await;
    app.smtp.refuse_next(2, Refusal::Transient);
    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let id = order_id(&order);
    app.run_pending_jobs().await;
    let n = &app.notifications(id).await[0];
    assert_eq!(n.status, NotificationStatus::Sent);
    assert_eq!(n.attempts, 3);
    let outcomes: Vec<AttemptOutcome> = app.attempts(n.id).await.iter().map(|a| a.outcome).collect();
    assert_eq!(outcomes, [AttemptOutcome::TransientError, AttemptOutcome::TransientError, AttemptOutcome::Sent]);
    assert_eq!(app.smtp.received().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_relay_that_keeps_failing_dead_letters_after_the_maximum() {
    let app = TestApp::spawn().await; // NOTIFY_MAX_ATTEMPTS = 3 in tests
    app.smtp.refuse_next(100, Refusal::Transient);
    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let id = order_id(&order);
    app.run_pending_jobs().await;
    let n = &app.notifications(id).await[0];
    assert_eq!(n.status, NotificationStatus::Failed);
    assert_eq!(n.attempts, 3);
    assert!(n.last_error.as_deref().unwrap().contains("gave up after 3 attempts"), "{:?}", n.last_error);
    assert!(n.last_error.as_deref().unwrap().contains("451"), "{:?}", n.last_error);
    assert_eq!(app.attempts(n.id).await.len(), 3);
    assert_eq!(app.notifications(id).await[0].attempts, 3, "no attempt after dead-lettering");
    assert!(app.smtp.received().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_permanent_refusal_fails_at_once() {
    let app = TestApp::spawn().await;
    app.smtp.refuse_next(1, Refusal::Permanent);
    let order = app.create_order(&guest_order("SO-1", "gone@example.com", "en")).await;
    let id = order_id(&order);
    app.run_pending_jobs().await;
    let n = &app.notifications(id).await[0];
    assert_eq!(n.status, NotificationStatus::Failed);
    assert_eq!(n.attempts, 1);
    let attempts = app.attempts(n.id).await;
    assert_eq!(attempts[0].outcome, AttemptOutcome::PermanentError);
    assert!(attempts[0].error.as_deref().unwrap().contains("550"));
    app.stop().await;
}

#[tokio::test]
async fn duplicate_jobs_never_send_twice() {
    let app = TestApp::spawn().await;
    let order = app.create_order(&guest_order("SO-1", "a@example.com", "en")).await;
    let id = order_id(&order);
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1);
    let notification_id = app.notifications(id).await[0].id;
    let enqueuer = app.enqueuer();
    for _ in 0..5 {
        enqueuer.push(Queue::Notifications, SendNotification { notification_id }, None).await.unwrap();
    }
    app.run_pending_jobs().await;
    assert_eq!(app.smtp.received().len(), 1);
    assert_eq!(app.notifications(id).await[0].attempts, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_phone_only_guest_gets_no_email_row() {
    let app = TestApp::spawn().await;
    let mut body = guest_order("SO-1", "a@example.com", "en");
    body["guest"] = json!({"phone": "+34 600 123 456"});
    let order = app.create_order(&body).await;
    assert_eq!(order["contact"]["phone"], "+34600123456");
    assert!(app.notifications(order_id(&order)).await.is_empty());
    app.stop().await;
}

/// Sends that finish together are claimed and recorded together (one
/// statement a batch, `send_batches`): each record must still land on
/// its own message, its attempt and its order's live stream, once.
#[tokio::test]
async fn a_burst_of_sends_is_recorded_on_each_message_once() {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ordertrack_shared::schema::{order_event_inbox, order_events};

    let app = TestApp::spawn().await;
    let count = 24;
    let bodies: Vec<_> =
        (0..count).map(|i| guest_order(&format!("SO-B{i}"), &format!("b{i}@example.com"), "en")).collect();
    let orders = futures::future::join_all(bodies.iter().map(|body| app.create_order(body))).await;
    app.run_pending_jobs().await;
    let mails = app.smtp.received();
    assert_eq!(mails.len(), count, "one email per order");
    let mut conn = app.db.get().await.unwrap();
    for (i, order) in orders.iter().enumerate() {
        let address = format!("b{i}@example.com");
        let mail = mails.iter().find(|m| m.to == [address.as_str()]).expect("its email");
        assert!(mail.subject().contains(&format!("SO-B{i} ")), "{}", mail.subject());
        let notifications = app.notifications(order_id(order)).await;
        assert_eq!(notifications.len(), 1);
        let n = &notifications[0];
        assert_eq!((n.status, n.attempts), (NotificationStatus::Sent, 1));
        let message_id = mail.header("Message-ID");
        assert_eq!(n.provider_message_id, message_id, "the provider's id of its own email");
        let attempts = app.attempts(n.id).await;
        assert_eq!(attempts.len(), 1);
        assert_eq!((attempts[0].outcome, &attempts[0].provider_message_id), (AttemptOutcome::Sent, &message_id));
        let title = format!("order_confirmed email sent to {address}");
        let titles: Vec<serde_json::Value> = order_events::table
            .filter(order_events::order_id.eq(n.order_id.unwrap()))
            .filter(order_events::kind.eq("notification"))
            .select(order_events::entry)
            .union_all(
                order_event_inbox::table
                    .filter(order_event_inbox::order_id.eq(n.order_id.unwrap()))
                    .filter(order_event_inbox::kind.eq("notification"))
                    .select(order_event_inbox::entry),
            )
            .load(&mut conn)
            .await
            .unwrap();
        assert_eq!(titles.iter().map(|e| e["title"].clone()).collect::<Vec<_>>(), [json!(title)]);
    }
    app.stop().await;
}

/// A grouped send record that one bad row breaks is written again one
/// record at a time: the bad one fails alone and every other send lands.
#[tokio::test]
async fn one_bad_send_record_fails_alone_and_the_rest_of_its_batch_lands() {
    use chrono::Utc;
    use ordertrack_shared::models::{NewNotificationAttempt, SentRecord};
    use ordertrack_worker::group_write::Written;
    use ordertrack_worker::send_batches::SendBatches;

    let app = TestApp::spawn().await;
    let mut orders = Vec::new();
    for i in 0..6 {
        let order = app.create_order(&guest_order(&format!("SO-G{i}"), &format!("g{i}@example.com"), "en")).await;
        orders.push(order_id(&order));
    }
    let mut ids = Vec::new();
    for order in &orders {
        ids.push(app.notifications(*order).await[0].id);
    }
    let attempt = |id: Uuid| NewNotificationAttempt {
        notification_id: id,
        attempt: 1,
        outcome: AttemptOutcome::Sent,
        provider: "smtp".into(),
        provider_message_id: Some(format!("<{id}@test>")),
        error: None,
        started_at: Utc::now(),
        duration_ms: 1,
    };
    // The third message already has its first attempt: recording it again
    // breaks the attempts' unique key, and with it the grouped statement.
    let bad = ids[2];
    attempt(bad).insert(&app.db.get().await.unwrap()).await.unwrap();

    let writes = SendBatches::spawn(app.db.clone(), std::time::Duration::from_secs(60));
    let record = |id| SentRecord { attempt: attempt(id), links: Vec::new(), event: None, wipe: false };
    // Sent together, so the writer takes them as one batch.
    let answers = futures::future::join_all(ids.iter().map(|id| writes.sends.write(record(*id)))).await;
    for (id, answer) in ids.iter().zip(&answers) {
        let expected = if *id == bad { "failed" } else { "done" };
        let got = match answer {
            Written::Done(()) => "done",
            Written::Retry(_) => "retry",
            Written::Failed(_) => "failed",
        };
        assert_eq!(got, expected, "notification {id}");
    }
    for order in &orders {
        let n = &app.notifications(*order).await[0];
        let expected = if n.id == bad { NotificationStatus::Pending } else { NotificationStatus::Sent };
        assert_eq!(n.status, expected, "notification {}", n.id);
        assert_eq!(app.attempts(n.id).await.len(), 1, "one attempt row each");
    }
    app.stop().await;
}
