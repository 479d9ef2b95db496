//! What the Redis failover tests share: a storefront that keeps creating
//! orders while a failover runs, and the count of what came out of it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use futures::StreamExt;
use ordertrack_shared::domain::NotificationStatus;
use uuid::Uuid;

use crate::{guest_order, TestApp};

/// 20 orders a second, from the start until `chaos` ends.
const EVERY: Duration = Duration::from_millis(50);

/// A fault and when it started.
pub type Fault = (&'static str, SystemTime);

/// Creates orders (numbered `{prefix}-{i}`) while `chaos` runs, then asserts
/// that every order was taken and that every confirmation email went out
/// exactly once (jobs a failover lost are the outbox sweep's). Prints the
/// failover pause: the longest gap between two emails, overall and after
/// each fault `chaos` returns.
pub async fn orders_survive(app: &TestApp, prefix: &str, chaos: impl Future<Output = Vec<Fault>>) {
    let started = Instant::now();
    let stop = AtomicBool::new(false);
    let orders = futures::stream::iter(0u32..)
        .take_while(|_| std::future::ready(!stop.load(Ordering::Relaxed)))
        .map(|i| {
            let stop = &stop;
            async move {
                tokio::time::sleep_until((started + EVERY * i).into()).await;
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                let body = guest_order(&format!("{prefix}-{i}"), &format!("shopper{i}@example.com"), "en");
                let res = app.post("/api/v1/orders", &app.service_token, &body).await;
                let status = res.status().as_u16();
                let id =
                    res.json::<serde_json::Value>().await.ok().and_then(|v| v["id"].as_str()?.parse::<Uuid>().ok());
                Some((status, id))
            }
        })
        .buffer_unordered(64)
        .filter_map(std::future::ready)
        .collect::<Vec<_>>();
    let chaos = async {
        let faults = chaos.await;
        stop.store(true, Ordering::Relaxed);
        faults
    };
    let (created, faults) = tokio::join!(orders, chaos);
    let expected = created.len();
    eprintln!("{expected} orders sent by {:.1?}", started.elapsed());

    let refused: Vec<_> = created.iter().filter(|(status, _)| *status != 201).collect();
    assert!(refused.is_empty(), "orders refused during the failovers: {refused:?}");
    let ids: Vec<Uuid> = created.iter().filter_map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), expected);

    let delivered = || async { unique_emails(app).len() >= expected };
    let all_in = crate::eventually(Duration::from_secs(40), delivered).await;
    // Room for a late copy to show up.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mails = app.smtp.received();
    let unique = unique_emails(app);
    let lost = expected - unique.len().min(expected);
    let duplicates = mails.len() - unique.len();
    eprintln!("emails: {} received, {} unique, {lost} lost, {duplicates} duplicate", mails.len(), unique.len());
    assert!(all_in && lost == 0, "{lost} confirmation emails lost");
    assert_eq!(duplicates, 0, "emails sent twice");
    for id in &ids {
        let notifications = app.notifications(*id).await;
        assert_eq!(notifications.len(), 1);
        assert_eq!(notifications[0].status, NotificationStatus::Sent, "{:?}", notifications[0]);
        let message_id = notifications[0].provider_message_id.clone().unwrap_or_default();
        assert!(unique.contains_key(&message_id), "no email for {}", notifications[0].id);
    }

    let mut arrivals: Vec<SystemTime> = mails.iter().map(|m| m.received_at).collect();
    arrivals.sort();
    let (pause, after) =
        arrivals.windows(2).map(|w| (w[1].duration_since(w[0]).unwrap_or_default(), w[0])).max().expect("emails");
    let since_first = after.duration_since(arrivals[0]).unwrap_or_default();
    eprintln!(
        "failover pause: {pause:.2?} (longest gap between two emails, starting {since_first:.1?} after the first)"
    );
    // And per fault: the longest gap that ends between it and the next one.
    for (i, (fault, at)) in faults.iter().enumerate() {
        let until = faults.get(i + 1).map_or(SystemTime::now(), |(_, next)| *next);
        let gap = arrivals
            .windows(2)
            .filter(|w| w[1] > *at && w[1] <= until)
            .map(|w| w[1].duration_since(w[0]).unwrap_or_default())
            .max()
            .unwrap_or_default();
        eprintln!("  after {fault}: longest gap {gap:.2?}");
    }
}

/// Emails by Message-ID (stable per notification, across attempts).
fn unique_emails(app: &TestApp) -> HashMap<String, usize> {
    let mut by_id = HashMap::new();
    for mail in app.smtp.received() {
        *by_id.entry(mail.header("Message-ID").unwrap_or_default()).or_insert(0) += 1;
    }
    by_id
}
