//! The order workflow: which status may follow which, and for which roles.
//! The `status_transitions` table holds it; `Workflow` is its in-memory form.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use crate::domain::{OrderStatus, Role};
use crate::models::StatusTransition;

/// One allowed step and the roles that may take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub roles: BTreeSet<Role>,
}

/// Why a requested status change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("cannot move an order from {from} to {to}")]
    NotAllowed { from: OrderStatus, to: OrderStatus, allowed: Vec<OrderStatus> },
    #[error("the {role} role may not move an order from {from} to {to}")]
    RoleRefused { from: OrderStatus, to: OrderStatus, role: Role },
}

/// The configured workflow: the allowed transitions, keyed by origin.
#[derive(Debug, Clone, Default)]
pub struct Workflow {
    next: HashMap<OrderStatus, Vec<Transition>>,
}

impl Workflow {
    pub fn new(transitions: impl IntoIterator<Item = Transition>) -> Self {
        let mut next: HashMap<OrderStatus, Vec<Transition>> = HashMap::new();
        for t in transitions {
            next.entry(t.from).or_default().push(t);
        }
        for steps in next.values_mut() {
            steps.sort_by_key(|t| t.to);
        }
        Workflow { next }
    }

    /// The statuses an order in `from` may move to, in a stable order.
    pub fn allowed_from(&self, from: OrderStatus) -> Vec<OrderStatus> {
        self.next.get(&from).map(|steps| steps.iter().map(|t| t.to).collect()).unwrap_or_default()
    }

    /// Checks that `role` may move an order from `from` to `to`.
    pub fn check(&self, from: OrderStatus, to: OrderStatus, role: Role) -> Result<(), TransitionError> {
        let step = self
            .next
            .get(&from)
            .and_then(|steps| steps.iter().find(|t| t.to == to))
            .ok_or_else(|| TransitionError::NotAllowed { from, to, allowed: self.allowed_from(from) })?;
        if step.roles.contains(&role) {
            Ok(())
        } else {
            Err(TransitionError::RoleRefused { from, to, role })
        }
    }
}

/// Why a workflow configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("{0} would have no way forward")]
    DeadEnd(OrderStatus),
    #[error("{0} could no longer be reached from pending")]
    Unreachable(OrderStatus),
}

/// Statuses where an order may legitimately stop.
pub const END_STATUSES: &[OrderStatus] = &[OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Returned];

impl Workflow {
    /// A usable workflow: every status but the end ones has a way forward,
    /// and delivered and cancelled stay reachable from pending.
    pub fn validate(&self) -> Result<(), WorkflowError> {
        for &status in OrderStatus::ALL {
            if !END_STATUSES.contains(&status) && self.allowed_from(status).is_empty() {
                return Err(WorkflowError::DeadEnd(status));
            }
        }
        let mut reached = std::collections::HashSet::from([OrderStatus::Pending]);
        let mut frontier = vec![OrderStatus::Pending];
        while let Some(at) = frontier.pop() {
            for next in self.allowed_from(at) {
                if reached.insert(next) {
                    frontier.push(next);
                }
            }
        }
        for target in [OrderStatus::Delivered, OrderStatus::Cancelled] {
            if !reached.contains(&target) {
                return Err(WorkflowError::Unreachable(target));
            }
        }
        Ok(())
    }

    /// Every step, for listing and editing.
    pub fn transitions(&self) -> Vec<Transition> {
        let mut all: Vec<Transition> = self.next.values().flatten().cloned().collect();
        all.sort_by_key(|t| (t.from, t.to));
        all
    }
}

/// The workflow as committed, from Postgres: for editing it.
pub async fn load_workflow(conn: &mut AsyncPgConnection) -> QueryResult<Workflow> {
    Ok(Workflow::new(StatusTransition::all(conn).await?.into_iter().map(StatusTransition::into_transition)))
}

/// The workflow for checking a change: this process' cached copy (see
/// `cache`; every edit is announced to it) or, without one, Postgres.
pub async fn current_workflow(conn: &mut AsyncPgConnection) -> QueryResult<Arc<Workflow>> {
    let Some(caches) = crate::cache::current() else {
        return load_workflow(conn).await.map(Arc::new);
    };
    if let Some(workflow) = caches.workflow.get(&()) {
        return Ok(workflow);
    }
    let generation = caches.workflow.generation();
    let workflow = Arc::new(load_workflow(conn).await?);
    caches.workflow.put((), workflow.clone(), generation);
    Ok(workflow)
}

/// The steps the first migration seeds, for tests and for the docs.
pub fn default_transitions() -> Vec<Transition> {
    use OrderStatus::*;
    let staff: BTreeSet<Role> = [Role::Admin, Role::Csr, Role::Service].into();
    [
        (Pending, [Confirmed, OnHold, Cancelled].as_slice()),
        (Confirmed, &[Processing, Shipped, OnHold, Cancelled]),
        (Processing, &[Shipped, OnHold, Cancelled]),
        (OnHold, &[Confirmed, Processing, Cancelled]),
        (Shipped, &[InTransit, OutForDelivery, Delivered, Exception, Returned]),
        (InTransit, &[OutForDelivery, Delivered, Exception, Returned]),
        (OutForDelivery, &[Delivered, InTransit, Exception, Returned]),
        (Exception, &[InTransit, OutForDelivery, Delivered, Returned, Cancelled]),
        (Delivered, &[Returned]),
    ]
    .iter()
    .flat_map(|(from, tos)| tos.iter().map(|to| Transition { from: *from, to: *to, roles: staff.clone() }))
    .collect()
}

/// The shortest path of steps the service role may take from `from` to `to`.
pub fn path_to(workflow: &Workflow, from: OrderStatus, to: OrderStatus) -> Option<Vec<OrderStatus>> {
    let mut seen = HashSet::from([from]);
    let mut queue = VecDeque::from([(from, Vec::new())]);
    while let Some((at, path)) = queue.pop_front() {
        if at == to {
            return Some(path);
        }
        if path.len() >= 4 {
            continue;
        }
        for next in workflow.allowed_from(at) {
            if workflow.check(at, next, Role::Service).is_ok() && seen.insert(next) {
                let mut longer = path.clone();
                longer.push(next);
                queue.push_back((next, longer));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    fn workflow() -> Workflow {
        Workflow::new(default_transitions())
    }

    /// The full table of default steps: every pair not listed here is refused.
    const ALLOWED: &[(OrderStatus, OrderStatus)] = &[
        (Pending, Confirmed),
        (Pending, OnHold),
        (Pending, Cancelled),
        (Confirmed, Processing),
        (Confirmed, Shipped),
        (Confirmed, OnHold),
        (Confirmed, Cancelled),
        (Processing, Shipped),
        (Processing, OnHold),
        (Processing, Cancelled),
        (OnHold, Confirmed),
        (OnHold, Processing),
        (OnHold, Cancelled),
        (Shipped, InTransit),
        (Shipped, OutForDelivery),
        (Shipped, Delivered),
        (Shipped, Exception),
        (Shipped, Returned),
        (InTransit, OutForDelivery),
        (InTransit, Delivered),
        (InTransit, Exception),
        (InTransit, Returned),
        (OutForDelivery, Delivered),
        (OutForDelivery, InTransit),
        (OutForDelivery, Exception),
        (OutForDelivery, Returned),
        (Exception, InTransit),
        (Exception, OutForDelivery),
        (Exception, Delivered),
        (Exception, Returned),
        (Exception, Cancelled),
        (Delivered, Returned),
    ];

    #[test]
    fn every_pair_is_allowed_exactly_when_listed() {
        let wf = workflow();
        for &from in OrderStatus::ALL {
            for &to in OrderStatus::ALL {
                let expected = ALLOWED.contains(&(from, to));
                let got = wf.check(from, to, Role::Admin).is_ok();
                assert_eq!(got, expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn refusal_lists_the_allowed_next_states() {
        let err = workflow().check(Delivered, Pending, Role::Admin).unwrap_err();
        assert_eq!(err, TransitionError::NotAllowed { from: Delivered, to: Pending, allowed: vec![Returned] });
    }

    #[test]
    fn terminal_statuses_have_no_way_forward() {
        let wf = workflow();
        for &status in OrderStatus::ALL {
            assert_eq!(status.is_terminal(), wf.allowed_from(status).is_empty(), "{status}");
        }
    }

    #[test]
    fn customers_cannot_take_any_default_step() {
        let wf = workflow();
        for &(from, to) in ALLOWED {
            assert!(matches!(wf.check(from, to, Role::Customer), Err(TransitionError::RoleRefused { .. })));
        }
    }

    #[test]
    fn the_default_workflow_is_valid() {
        assert_eq!(workflow().validate(), Ok(()));
    }

    #[test]
    fn dead_ends_and_unreachable_ends_are_refused() {
        let without =
            |from, to| Workflow::new(default_transitions().into_iter().filter(|t| !(t.from == from && t.to == to)));
        let wf = Workflow::new(default_transitions().into_iter().filter(|t| t.from != OnHold));
        assert_eq!(wf.validate(), Err(WorkflowError::DeadEnd(OnHold)));
        // Cutting every way into delivered.
        let wf = Workflow::new(default_transitions().into_iter().filter(|t| t.to != Delivered));
        assert_eq!(wf.validate(), Err(WorkflowError::Unreachable(Delivered)));
        // One path fewer is fine while others remain.
        assert_eq!(without(Shipped, Delivered).validate(), Ok(()));
        // Delivered may become an end by itself.
        assert_eq!(without(Delivered, Returned).validate(), Ok(()));
    }

    #[test]
    fn status_text_round_trips() {
        for &status in OrderStatus::ALL {
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(status));
        }
        assert!("shipping".parse::<OrderStatus>().is_err());
    }

    #[test]
    fn carriers_walk_the_workflow_by_the_shortest_allowed_path() {
        let wf = Workflow::new(default_transitions());
        assert_eq!(
            path_to(&wf, OrderStatus::Confirmed, OrderStatus::InTransit),
            Some(vec![OrderStatus::Shipped, OrderStatus::InTransit])
        );
        assert_eq!(path_to(&wf, OrderStatus::Shipped, OrderStatus::Delivered), Some(vec![OrderStatus::Delivered]));
        assert_eq!(path_to(&wf, OrderStatus::Delivered, OrderStatus::InTransit), None, "never backwards");
        assert_eq!(path_to(&wf, OrderStatus::Cancelled, OrderStatus::Delivered), None);
    }
}
