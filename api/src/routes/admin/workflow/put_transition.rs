use actix_web::{put, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::cache::Invalidation;
use ordertrack_shared::domain::{OrderStatus, Role};
use ordertrack_shared::models::StatusTransition;
use serde::Deserialize;
use utoipa::ToSchema;

use super::change::apply;
use super::view::TransitionView;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRoles {
    /// Who may take the step (at least one).
    pub roles: Vec<Role>,
}

/// Allow a step (or change who may take it). Refused if the workflow it
/// leaves would strand a status or cut delivered or cancelled off.
#[utoipa::path(
    put, path = "/api/v1/admin/workflow/transitions/{from}/{to}", tag = "admin",
    params(("from" = OrderStatus, Path), ("to" = OrderStatus, Path)),
    request_body = TransitionRoles,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "The whole workflow after the change", body = Vec<TransitionView>),
        (status = 422, description = "Refused (reason in the message)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[put("/admin/workflow/transitions/{from}/{to}")]
pub async fn put_workflow_transition(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<(OrderStatus, OrderStatus)>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageWorkflow)?;
    let (from, to) = path.into_inner();
    let body: TransitionRoles = json::body(payload, state.config.max_body_bytes).await?;
    if from == to {
        return Err(ApiError::invalid("to", "a step must lead to another status"));
    }
    if body.roles.is_empty() {
        return Err(ApiError::invalid("roles", "name at least one role"));
    }
    let entry = audit::entry(&principal, &req, "workflow.allow", "transition", &format!("{from}->{to}"));
    let mut conn = state.conn().await?;
    let after = conn
        .transaction::<_, ApiError, _>(async |conn| {
            apply(conn, entry, async |conn| Ok(StatusTransition::upsert(conn, from, to, &body.roles).await?)).await
        })
        .await?;
    state.announce_change(Invalidation::Workflow).await;
    Ok(HttpResponse::Ok().json(after))
}
