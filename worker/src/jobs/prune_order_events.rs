//! Keeps the live-update log bounded: order events older than the retention
//! go (a client resuming from before then is told to refetch), and so do
//! expired stream tickets, portal links and portal sessions.

use apalis::prelude::BoxDynError;
use chrono::Utc;
use ordertrack_shared::models::{OrderEvent, PortalLink, PortalSession, StaffSession, StreamTicket};

use crate::context::JobContext;

/// Rows deleted per statement, so a large backlog never holds one long lock.
const BATCH: i64 = 5_000;

/// What one run removed.
#[derive(Debug, Default)]
pub struct Pruned {
    pub events: usize,
    pub tickets: usize,
    /// Expired portal links, ended or expired portal sessions, and staff
    /// sessions past their absolute limit.
    pub portal: usize,
}

pub async fn prune_order_events(ctx: &JobContext) -> Result<Pruned, BoxDynError> {
    let mut conn = ctx.db.get().await?;
    let before = Utc::now() - chrono::Duration::from_std(ctx.config.event_retention)?;
    let mut events = 0;
    loop {
        let removed = OrderEvent::prune(&mut conn, before, BATCH).await?;
        events += removed;
        if (removed as i64) < BATCH {
            break;
        }
    }
    let tickets = StreamTicket::delete_expired(&mut conn).await?;
    let portal = PortalLink::delete_expired(&mut conn).await?
        + PortalSession::delete_expired(&mut conn).await?
        + StaffSession::delete_expired(&mut conn).await?;
    Ok(Pruned { events, tickets, portal })
}
