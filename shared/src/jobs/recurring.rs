//! The registry of recurring jobs: what the scheduler enqueues, when by
//! default, and which variable changes it. Adding a recurring job is one
//! entry here (with its `MaintenanceJob` variant) plus its handler in the
//! worker's `jobs::maintenance` dispatch.

use super::MaintenanceJob;

/// One recurring job.
#[derive(Debug)]
pub struct Recurring {
    /// Its name in logs, metrics and the scheduler's per-tick lease.
    pub name: &'static str,
    /// The environment variable holding its cron expression (6 fields,
    /// seconds first); `off` disables it.
    pub env: &'static str,
    /// The schedule when the variable is unset; `off` means not scheduled.
    pub default_schedule: &'static str,
    /// The job a tick enqueues (the tick's time in seconds since the epoch).
    pub job: fn(i64) -> MaintenanceJob,
}

pub const RECURRING: &[Recurring] = &[
    Recurring {
        name: "sweep_outbox",
        env: "SWEEP_SCHEDULE",
        default_schedule: "*/10 * * * * *",
        job: |tick| MaintenanceJob::SweepOutbox { tick },
    },
    Recurring {
        name: "enqueue_polls",
        env: "POLL_SCHEDULE",
        default_schedule: "0 * * * * *",
        job: |tick| MaintenanceJob::EnqueuePolls { tick },
    },
    Recurring {
        name: "detect_delays",
        env: "DELAY_SCHEDULE",
        default_schedule: "30 */5 * * * *",
        job: |tick| MaintenanceJob::DetectDelays { tick },
    },
    Recurring {
        name: "vacuum",
        env: "VACUUM_SCHEDULE",
        default_schedule: "0 17 * * * *",
        job: |tick| MaintenanceJob::Vacuum { tick },
    },
    Recurring {
        name: "prune_order_events",
        env: "EVENT_PRUNE_SCHEDULE",
        default_schedule: "0 41 * * * *",
        job: |tick| MaintenanceJob::PruneOrderEvents { tick },
    },
    Recurring {
        name: "roll_up_analytics",
        env: "ROLLUP_SCHEDULE",
        default_schedule: "15 * * * * *",
        job: |tick| MaintenanceJob::RollUpAnalytics { tick },
    },
    Recurring {
        name: "recompute_analytics",
        env: "ROLLUP_RECOMPUTE_SCHEDULE",
        default_schedule: "0 30 3 * * *",
        job: |tick| MaintenanceJob::RecomputeAnalytics { tick },
    },
    Recurring {
        name: "simulate_carriers",
        env: "SIMULATOR_SCHEDULE",
        default_schedule: "off",
        job: |tick| MaintenanceJob::SimulateCarriers { tick },
    },
];

/// The registry entry called `name`.
pub fn named(name: &str) -> Option<&'static Recurring> {
    RECURRING.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn names_match_the_jobs_they_enqueue_and_are_unique() {
        for recurring in RECURRING {
            assert_eq!((recurring.job)(0).name(), recurring.name);
        }
        let names: HashSet<_> = RECURRING.iter().map(|r| r.name).collect();
        let envs: HashSet<_> = RECURRING.iter().map(|r| r.env).collect();
        assert_eq!(names.len(), RECURRING.len());
        assert_eq!(envs.len(), RECURRING.len());
    }

    #[test]
    fn default_schedules_parse_or_are_off() {
        for recurring in RECURRING {
            let fields = recurring.default_schedule.split_whitespace().count();
            assert!(recurring.default_schedule == "off" || fields == 6, "{}", recurring.name);
        }
    }
}
