use actix_web::{post, web, HttpRequest, HttpResponse};
use ordertrack_shared::models::{Notification, NotificationAttempt};
use uuid::Uuid;

use super::view::NotificationView;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Send a dead-lettered notification again with a fresh retry budget. Its
/// dedupe key is unchanged, so it can still be sent only once.
#[utoipa::path(
    post, path = "/api/v1/admin/notifications/{id}/replay", tag = "admin",
    params(("id" = Uuid, Path, description = "Notification id")),
    responses(
        Bearer,
        (status = 202, description = "Queued again", body = NotificationView),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Not a failed notification", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/admin/notifications/{id}/replay")]
pub async fn replay_notification(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReplayNotification)?;
    let mut conn = state.conn().await?;
    let Some(notification) = Notification::replay(&mut conn, *id).await? else {
        return match Notification::find(&mut conn, *id).await {
            Ok(n) => Err(ApiError::conflict(
                "not_failed",
                format!("only failed notifications can be replayed (this one is {})", n.state()),
            )),
            Err(diesel::result::Error::NotFound) => Err(ApiError::NotFound("notification")),
            Err(e) => Err(e.into()),
        };
    };
    tracing::info!(by = %principal.actor(), notification = %notification.id, "notification replayed");
    audit::record(
        &mut conn,
        audit::entry(&principal, &req, "notification.replay", "notification", &notification.id.to_string()),
    )
    .await;
    let attempts = NotificationAttempt::for_notification(&mut conn, notification.id).await?;
    drop(conn);
    state.enqueuer.push_notifications(std::slice::from_ref(&notification)).await;
    Ok(HttpResponse::Accepted().json(NotificationView::new(&notification, &attempts)))
}
