use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Platform;
use ordertrack_shared::models::DeviceToken;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterDevice {
    /// The FCM registration token of the app install.
    pub token: String,
    pub platform: Platform,
}

/// A registered device; its push token is never shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceView {
    pub id: Uuid,
    pub platform: Platform,
    pub created_at: DateTime<Utc>,
}

impl From<&DeviceToken> for DeviceView {
    fn from(device: &DeviceToken) -> Self {
        DeviceView { id: device.id, platform: device.platform, created_at: device.created_at }
    }
}

/// Register a device for push notifications.
#[utoipa::path(
    post, path = "/api/v1/me/devices", tag = "preferences",
    request_body = RegisterDevice,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Registered", body = DeviceView),
        (status = 422, description = "Invalid token", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/me/devices")]
pub async fn register_device(
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageOwnProfile)?;
    let customer_id = principal.customer()?;
    let body: RegisterDevice = json::body(payload, state.config.max_body_bytes).await?;
    let token = body.token.trim();
    if token.len() < 20 || token.len() > 4096 || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::invalid("token", "not a push registration token"));
    }
    let mut conn = state.conn().await?;
    let device = DeviceToken::register(&mut conn, customer_id, token, body.platform).await?;
    Ok(HttpResponse::Created().json(DeviceView::from(&device)))
}
