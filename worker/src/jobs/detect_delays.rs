//! Finds parcels that are late: the estimated delivery passed without a
//! delivery, or no scan for longer than the parcel's status allows. Each
//! finding is recorded once (keyed by what makes it materially new) and
//! announced once on the critical queue.
//!
//! Every open parcel is checked on every run: the scan walks them oldest
//! first in keyset batches of `DELAY_SCAN_BATCH`, and announces each batch's
//! findings before it reads the next.

use apalis::prelude::BoxDynError;
use chrono::Utc;
use ordertrack_shared::carriers::tracking::{record_issue, Issue};
use ordertrack_shared::carriers::TrackingStatus;
use ordertrack_shared::db;
use ordertrack_shared::models::{Order, Shipment};

use crate::context::JobContext;

pub async fn detect_delays(ctx: &JobContext) -> Result<usize, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let now = Utc::now();
    let grace = chrono::Duration::from_std(ctx.config.eta_grace).unwrap_or_default();
    let batch = ctx.config.delay_scan_batch.max(1);
    let mut found = 0;
    let mut after = None;
    loop {
        let parcels = Shipment::unfinished_after(&mut conn, after, batch).await?;
        let last_batch = (parcels.len() as i64) < batch;
        after = parcels.last().map(|p| (p.created_at, p.id));
        let mut notifications = Vec::new();
        for parcel in parcels {
            let status: TrackingStatus = parcel.tracking_status.parse().unwrap_or(TrackingStatus::Unknown);
            let mut issues = Vec::new();
            if let Some(eta) = parcel.estimated_delivery_at.filter(|eta| *eta + grace < now) {
                issues.push(Issue {
                    kind: "eta_passed",
                    detail: Some("carrier_delay".into()),
                    description: format!("The estimated delivery ({}) passed without a delivery", eta.date_naive()),
                    eta: None,
                    key: format!("eta_passed:{}:{}", parcel.id, eta.timestamp()),
                });
            }
            let last_news = parcel.last_event_at.unwrap_or(parcel.created_at);
            let silence = chrono::Duration::from_std(ctx.config.no_scan_threshold(status)).unwrap_or_default();
            if now - last_news > silence {
                issues.push(Issue {
                    kind: "no_scan",
                    detail: Some("carrier_delay".into()),
                    description: format!("No carrier scan since {}", last_news.format("%Y-%m-%d %H:%M UTC")),
                    eta: parcel.estimated_delivery_at,
                    key: format!("no_scan:{}:{}", parcel.id, last_news.timestamp()),
                });
            }
            if issues.is_empty() {
                continue;
            }
            let order = Order::find(&conn, parcel.order_id).await?;
            db::begin(&mut conn).await?;
            let result = async {
                let mut written = Vec::new();
                for issue in issues {
                    written.extend(record_issue(&mut conn, &order, &parcel, issue, true).await?);
                }
                Ok::<_, diesel::result::Error>(written)
            }
            .await;
            let written = db::finish(&mut conn, result).await?;
            found += written.len();
            notifications.extend(written);
        }
        ctx.enqueuer.after_commit(&notifications).await;
        if last_batch || after.is_none() {
            break;
        }
    }
    Ok(found)
}
