//! Order operations shared by the api and the worker, each one transaction:
//! the change, its history and the notifications it causes (the outbox).

pub mod actions;
pub mod create;
pub mod reschedule;
pub mod status;
pub mod timeline;
pub mod timeline_page;
pub mod workflow;

pub use actions::{AvailableActions, Unavailable};
pub use create::{create_order, CreateOrderError, OrderCreated};
pub use reschedule::{apply_reschedule, RescheduleWindow};
pub use status::{
    change_status, occasion, plan_status_change, plan_status_change_of, PlannedStatusChange, StatusChangeError,
    StatusChangeRequest, StatusChanged,
};
pub use workflow::{current_workflow, load_workflow, Transition, TransitionError, Workflow, WorkflowError};
