use actix_web::{get, web, HttpResponse};
use ordertrack_shared::orders::load_workflow;

use super::view::{transitions, TransitionView};
use crate::auth::{Permission, Principal};
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// The order workflow: every allowed step and who may take it.
#[utoipa::path(
    get, path = "/api/v1/admin/workflow", tag = "admin",
    responses(
        Bearer,
        (status = 200, description = "The steps", body = Vec<TransitionView>),
    ),
    security(("bearer" = []))
)]
#[get("/admin/workflow")]
pub async fn get_workflow(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageWorkflow)?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(transitions(&load_workflow(&mut conn).await?)))
}
