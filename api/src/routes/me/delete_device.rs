use actix_web::{delete, web, HttpResponse};
use ordertrack_shared::models::DeviceToken;
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Stop pushes to a device (sign-out). Another customer's device is a 404.
#[utoipa::path(
    delete, path = "/api/v1/me/devices/{id}", tag = "preferences",
    params(("id" = Uuid, Path, description = "Device id")),
    responses(
        Bearer,
        (status = 204, description = "Removed"),
        (status = 404, description = "No such device of yours", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/me/devices/{id}")]
pub async fn delete_device(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageOwnProfile)?;
    let customer_id = principal.customer()?;
    let mut conn = state.conn().await?;
    if DeviceToken::remove(&mut conn, customer_id, *id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound("device"))
    }
}
