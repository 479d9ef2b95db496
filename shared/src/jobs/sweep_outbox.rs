use serde::{Deserialize, Serialize};

use super::Job;

/// Re-enqueue outbox rows whose job was lost or whose worker died.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepOutbox {
    /// The scheduler tick this sweep belongs to (seconds since the epoch).
    pub tick: i64,
}

impl Job for SweepOutbox {
    const NAME: &'static str = "sweep_outbox";
}
