use actix_web::{get, web, HttpResponse};
use ordertrack_shared::models::DeviceToken;
use serde::Serialize;
use utoipa::ToSchema;

use super::register_device::DeviceView;
use crate::auth::{Permission, Principal};
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceList {
    /// Devices that receive push notifications, newest first.
    pub devices: Vec<DeviceView>,
}

/// The caller's devices registered for push notifications.
#[utoipa::path(
    get, path = "/api/v1/me/devices", tag = "preferences",
    responses(
        Bearer,
        (status = 200, description = "Registered devices", body = DeviceList),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/me/devices")]
pub async fn list_devices(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageOwnProfile)?;
    let customer_id = principal.customer()?;
    let mut conn = state.conn().await?;
    let mut devices = DeviceToken::active_for(&mut conn, customer_id).await?;
    devices.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    Ok(HttpResponse::Ok().json(DeviceList { devices: devices.iter().map(DeviceView::from).collect() }))
}
