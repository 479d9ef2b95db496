//! Normalizes a stored webhook receipt and applies its updates. A body that
//! is not the carrier's documented shape fails at once (visible, and an
//! admin can reprocess it); database trouble is retried.

use apalis::prelude::{BoxDynError, Data};
use ordertrack_shared::carriers::parse_webhook;
use ordertrack_shared::carriers::tracking::{apply_update, UpdateSource};
use ordertrack_shared::db;
use ordertrack_shared::jobs::{Job, ProcessCarrierReceipt, Queue};
use ordertrack_shared::models::CarrierReceipt;

use super::instrumented;
use crate::context::{JobContext, SharedContext};

pub async fn process_carrier_receipt(
    job: ProcessCarrierReceipt,
    ctx: Data<SharedContext>,
    queue: Data<Queue>,
) -> Result<(), BoxDynError> {
    let span = tracing::info_span!("process_carrier_receipt", receipt_id = %job.receipt_id);
    let ctx = SharedContext::clone(&ctx);
    let work = {
        let ctx = ctx.clone();
        async move {
            let processed = process(&ctx, job.receipt_id).await?;
            Ok(if processed { "processed" } else { "skipped" })
        }
    };
    instrumented(&ctx, *queue, ProcessCarrierReceipt::NAME, span, work).await
}

/// Returns whether the receipt was processed now.
pub async fn process(ctx: &JobContext, receipt_id: uuid::Uuid) -> Result<bool, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let receipt = CarrierReceipt::find(&mut conn, receipt_id).await?;
    if receipt.status == "processed" {
        return Ok(false);
    }
    let body: serde_json::Value = match serde_json::from_str(&receipt.body) {
        Ok(body) => body,
        Err(e) => {
            CarrierReceipt::mark(&mut conn, receipt.id, "failed", Some(&format!("not JSON: {e}"))).await?;
            return Ok(false);
        }
    };
    let updates = match parse_webhook(receipt.carrier, &body) {
        Ok(updates) => updates,
        Err(e) => {
            tracing::warn!(receipt = %receipt.id, carrier = %receipt.carrier, error = %e, "unreadable carrier payload");
            CarrierReceipt::mark(&mut conn, receipt.id, "failed", Some(&e.to_string())).await?;
            return Ok(false);
        }
    };
    db::begin(&mut conn).await?;
    let result = async {
        let mut notifications = Vec::new();
        for update in &updates {
            notifications
                .extend(apply_update(&mut conn, update, UpdateSource::Webhook, Some(receipt.id)).await?.notifications);
        }
        CarrierReceipt::mark(&mut conn, receipt.id, "processed", None).await?;
        Ok::<_, BoxDynError>(notifications)
    }
    .await;
    let notifications = match db::finish(&mut conn, result).await {
        Ok(notifications) => notifications,
        Err(e) => {
            // Give up after the retry budget; the receipt stays for an admin.
            let failed = receipt.attempts + 1 >= ctx.config.max_attempts;
            CarrierReceipt::mark(
                &mut conn,
                receipt.id,
                if failed { "failed" } else { "pending" },
                Some(&e.to_string()),
            )
            .await?;
            return Err(e);
        }
    };
    drop(conn);
    ctx.enqueuer.after_commit(&notifications).await;
    Ok(true)
}
