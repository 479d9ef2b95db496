use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use futures::StreamExt;
use ordertrack_shared::domain::NotificationStatus;
use ordertrack_tests::sentinel::SentinelSet;
use ordertrack_tests::{guest_order, Options, TestApp};
use uuid::Uuid;

/// 20 orders a second, from the start until 3 s after the second failover.
const EVERY: Duration = Duration::from_millis(50);

/// Redis behind Sentinel fails over twice while the storefront keeps
/// creating orders: first a `SENTINEL FAILOVER` (the master is demoted to a
/// replica, and still answers reads), then a `kill -9` of the new master.
/// Every order is taken, and every confirmation email goes out exactly once:
/// jobs the failovers lost are the outbox sweep's (the scheduler ticks every
/// second, through Sentinel too). The failover pause is the longest gap
/// between two emails.
#[tokio::test]
async fn orders_keep_flowing_and_nothing_is_lost_across_sentinel_failovers() {
    let mut set = SentinelSet::start().await;
    let first = set.master().await;
    let app = TestApp::spawn_with(Options {
        // With Sentinel, the URLs only lend credentials; the harness's own
        // Redis calls go to the first master.
        api_redis_url: SentinelSet::url(first),
        redis_url: Some(SentinelSet::url(first)),
        redis_sentinel: Some(set.config()),
        // As in production: a push that finds no master gives up soon.
        enqueue_timeout: Duration::from_millis(500),
        schedulers: 1,
        // The sweep picks up pending rows 2 s old: the jobs a failover lost.
        sweep_grace: Duration::from_secs(2),
        ..Options::default()
    })
    .await;
    let started = Instant::now();

    let stop = AtomicBool::new(false);
    let orders = futures::stream::iter(0u32..)
        .take_while(|_| std::future::ready(!stop.load(Ordering::Relaxed)))
        .map(|i| {
            let (app, stop) = (&app, &stop);
            async move {
                tokio::time::sleep_until((started + EVERY * i).into()).await;
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                let body = guest_order(&format!("SO-SF-{i}"), &format!("shopper{i}@example.com"), "en");
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
    let mut events = Vec::new();
    let chaos = async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        events.push(("SENTINEL FAILOVER", SystemTime::now()));
        let at = started.elapsed();
        let second = set.failover().await;
        eprintln!(
            "SENTINEL FAILOVER at {at:.1?}: {first} -> {second} (sentinels settled at {:.1?})",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        events.push(("kill -9", SystemTime::now()));
        let at = started.elapsed();
        let third = set.kill_master().await;
        eprintln!("kill -9 of {second} at {at:.1?}: -> {third} (promoted at {:.1?})", started.elapsed());
        tokio::time::sleep(Duration::from_secs(3)).await;
        stop.store(true, Ordering::Relaxed);
    };
    let (created, ()) = tokio::join!(orders, chaos);
    let expected = created.len();
    eprintln!("{expected} orders sent by {:.1?}", started.elapsed());

    let refused: Vec<_> = created.iter().filter(|(status, _)| *status != 201).collect();
    assert!(refused.is_empty(), "orders refused during the failovers: {refused:?}");
    let ids: Vec<Uuid> = created.iter().filter_map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), expected);

    let delivered = || async { unique_emails(&app).len() >= expected };
    let all_in = ordertrack_tests::eventually(Duration::from_secs(40), delivered).await;
    // Room for a late copy to show up.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mails = app.smtp.received();
    let unique = unique_emails(&app);
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

    // The failover pause: the longest gap between two consecutive emails.
    let mut arrivals: Vec<SystemTime> = mails.iter().map(|m| m.received_at).collect();
    arrivals.sort();
    let (pause, after) =
        arrivals.windows(2).map(|w| (w[1].duration_since(w[0]).unwrap_or_default(), w[0])).max().expect("emails");
    let since_first = after.duration_since(arrivals[0]).unwrap_or_default();
    eprintln!(
        "failover pause: {pause:.2?} (longest gap between two emails, starting {since_first:.1?} after the first)"
    );
    // And per failover: the longest gap that ends between it and the next one.
    for (i, (event, at)) in events.iter().enumerate() {
        let until = events.get(i + 1).map_or(SystemTime::now(), |(_, next)| *next);
        let gap = arrivals
            .windows(2)
            .filter(|w| w[1] > *at && w[1] <= until)
            .map(|w| w[1].duration_since(w[0]).unwrap_or_default())
            .max()
            .unwrap_or_default();
        eprintln!("  after {event}: longest gap {gap:.2?}");
    }

    app.stop().await;
    drop(set);
}

/// Emails by Message-ID (stable per notification, across attempts).
fn unique_emails(app: &TestApp) -> HashMap<String, usize> {
    let mut by_id = HashMap::new();
    for mail in app.smtp.received() {
        *by_id.entry(mail.header("Message-ID").unwrap_or_default()).or_insert(0) += 1;
    }
    by_id
}
