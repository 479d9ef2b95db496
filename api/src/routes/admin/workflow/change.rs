//! Workflow edits: validated as a whole after the change, in one
//! transaction, audited with before and after. The routes announce the edit
//! after commit, and every process drops its cached workflow (`cache`).

use diesel_async::AsyncPgConnection;
use ordertrack_shared::models::NewAuditEntry;
use ordertrack_shared::orders::load_workflow;
use serde_json::json;

use super::view::{transitions, TransitionView};
use crate::errors::ApiError;

/// Runs `edit`, then refuses the result if it breaks the workflow.
pub async fn apply<F>(
    conn: &mut AsyncPgConnection,
    audit: NewAuditEntry,
    edit: F,
) -> Result<Vec<TransitionView>, ApiError>
where
    F: AsyncFnOnce(&mut AsyncPgConnection) -> Result<(), ApiError>,
{
    ordertrack_shared::models::StatusTransition::lock(conn).await?;
    let before = transitions(&load_workflow(conn).await?);
    edit(conn).await?;
    let workflow = load_workflow(conn).await?;
    workflow.validate().map_err(|e| ApiError::Invalid {
        code: "invalid_workflow",
        message: format!("refused: {e}"),
        field: None,
    })?;
    let after = transitions(&workflow);
    NewAuditEntry { before: Some(json!(before)), after: Some(json!(after)), ..audit }.insert(conn).await?;
    Ok(after)
}
