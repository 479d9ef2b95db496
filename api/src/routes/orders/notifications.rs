use actix_web::{get, web, HttpResponse};
use ordertrack_shared::models::{Notification, NotificationAttempt};
use uuid::Uuid;

use super::load::visible_order;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::routes::admin::notifications::view::NotificationView;
use crate::state::AppState;

/// Every message about an order and each of its attempts (customer service).
#[utoipa::path(
    get, path = "/api/v1/orders/{id}/notifications", tag = "customer service",
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        Bearer,
        (status = 200, description = "Notifications, oldest first", body = Vec<NotificationView>),
        (status = 404, description = "No such order", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/notifications")]
pub async fn list_order_notifications(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ServeCustomers)?;
    let mut conn = state.conn().await?;
    let order = visible_order(&conn, &principal, *id).await?;
    let rows = Notification::for_order(&mut conn, order.id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|n| n.id).collect();
    let attempts = NotificationAttempt::for_notifications(&mut conn, &ids).await?;
    let views: Vec<NotificationView> = rows
        .iter()
        .map(|n| {
            let own: Vec<NotificationAttempt> =
                attempts.iter().filter(|a| a.notification_id == n.id).cloned().collect();
            NotificationView::new(n, &own)
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}
