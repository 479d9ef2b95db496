use actix_web::{get, web, HttpResponse};
use ordertrack_shared::models::{Notification, NotificationAttempt};
use uuid::Uuid;

use super::view::NotificationView;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// One notification with every attempt.
#[utoipa::path(
    get, path = "/api/v1/admin/notifications/{id}", tag = "admin",
    params(("id" = Uuid, Path, description = "Notification id")),
    responses(
        Bearer,
        (status = 200, description = "The notification", body = NotificationView),
        (status = 404, description = "Not found", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admin/notifications/{id}")]
pub async fn get_notification(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadNotifications)?;
    let mut conn = state.conn().await?;
    let notification = match Notification::find(&mut conn, *id).await {
        Ok(n) => n,
        Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("notification")),
        Err(e) => return Err(e.into()),
    };
    let attempts = NotificationAttempt::for_notification(&mut conn, notification.id).await?;
    Ok(HttpResponse::Ok().json(NotificationView::new(&notification, &attempts)))
}
