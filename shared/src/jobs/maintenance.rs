use serde::{Deserialize, Serialize};

use super::Job;

/// Jobs of the `maintenance` queue (one queue carries one payload type, so
/// its jobs are the variants of this enum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MaintenanceJob {
    /// Re-enqueue outbox rows whose job was lost or whose worker died.
    SweepOutbox {
        /// The scheduler tick it belongs to (seconds since the epoch).
        tick: i64,
    },
    /// Queue polls for the parcels that are due.
    EnqueuePolls { tick: i64 },
    /// Look for late parcels (estimate passed, no scan for too long).
    DetectDelays { tick: i64 },
    /// Move demo parcels along (the simulated carrier of the local run).
    SimulateCarriers { tick: i64 },
    /// Drop finished job data from Redis (apalis never expires it) and
    /// expired idempotency keys from Postgres.
    Vacuum { tick: i64 },
    /// Drop order events past their retention, and expired stream tickets.
    PruneOrderEvents { tick: i64 },
    /// Analytics roll-ups: what changed since the watermark (every minute).
    RollUpAnalytics { tick: i64 },
    /// Analytics roll-ups of the last 48 hours again, for late events (nightly).
    RecomputeAnalytics { tick: i64 },
    /// Does nothing: measures the queue's own overhead and proves the queue
    /// is served end to end.
    Ping { sent_at_ms: i64 },
}

impl Job for MaintenanceJob {
    const NAME: &'static str = "maintenance";
}

impl MaintenanceJob {
    pub fn name(&self) -> &'static str {
        match self {
            MaintenanceJob::SweepOutbox { .. } => "sweep_outbox",
            MaintenanceJob::EnqueuePolls { .. } => "enqueue_polls",
            MaintenanceJob::DetectDelays { .. } => "detect_delays",
            MaintenanceJob::SimulateCarriers { .. } => "simulate_carriers",
            MaintenanceJob::Vacuum { .. } => "vacuum",
            MaintenanceJob::PruneOrderEvents { .. } => "prune_order_events",
            MaintenanceJob::RollUpAnalytics { .. } => "roll_up_analytics",
            MaintenanceJob::RecomputeAnalytics { .. } => "recompute_analytics",
            MaintenanceJob::Ping { .. } => "ping",
        }
    }
}
