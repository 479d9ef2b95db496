use ordertrack_shared::domain::{OrderStatus, Role};
use ordertrack_shared::orders::Workflow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TransitionView {
    pub from: OrderStatus,
    pub to: OrderStatus,
    /// The roles that may take this step.
    pub roles: Vec<Role>,
}

pub fn transitions(workflow: &Workflow) -> Vec<TransitionView> {
    workflow
        .transitions()
        .into_iter()
        .map(|t| TransitionView { from: t.from, to: t.to, roles: t.roles.into_iter().collect() })
        .collect()
}
