use actix_web::{delete, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::cache::Invalidation;
use ordertrack_shared::domain::OrderStatus;
use ordertrack_shared::models::StatusTransition;

use super::change::apply;
use super::view::TransitionView;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Forbid a step. Refused if a status would have no way forward, or
/// delivered or cancelled could no longer be reached.
#[utoipa::path(
    delete, path = "/api/v1/admin/workflow/transitions/{from}/{to}", tag = "admin",
    params(("from" = OrderStatus, Path), ("to" = OrderStatus, Path)),
    responses(
        Bearer,
        (status = 200, description = "The whole workflow after the change", body = Vec<TransitionView>),
        (status = 404, description = "No such step", body = ErrorBody),
        (status = 422, description = "Refused (reason in the message)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/admin/workflow/transitions/{from}/{to}")]
pub async fn delete_workflow_transition(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<(OrderStatus, OrderStatus)>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageWorkflow)?;
    let (from, to) = path.into_inner();
    let entry = audit::entry(&principal, &req, "workflow.forbid", "transition", &format!("{from}->{to}"));
    let mut conn = state.conn().await?;
    let after = conn
        .transaction::<_, ApiError, _>(async |conn| {
            apply(conn, entry, async |conn| {
                if StatusTransition::remove(conn, from, to).await? {
                    Ok(())
                } else {
                    Err(ApiError::NotFound("transition"))
                }
            })
            .await
        })
        .await?;
    state.announce_change(Invalidation::Workflow).await;
    Ok(HttpResponse::Ok().json(after))
}
