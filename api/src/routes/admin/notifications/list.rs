use actix_web::{get, web, HttpResponse};
use ordertrack_shared::domain::NotificationStatus;
use ordertrack_shared::models::{Notification, NotificationAttempt};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::view::NotificationView;
use crate::auth::{Permission, Principal};
use crate::cursor;
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListNotificationsQuery {
    /// Default `failed`: the dead letters.
    pub status: Option<NotificationStatus>,
    pub order_id: Option<Uuid>,
    /// 1 to 100, default 50.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    pub notifications: Vec<NotificationView>,
    pub next_cursor: Option<String>,
}

/// Notifications with their attempt history; by default the dead letters.
#[utoipa::path(
    get, path = "/api/v1/admin/notifications", tag = "admin",
    params(ListNotificationsQuery),
    responses(
        Bearer,
        (status = 200, description = "One page", body = NotificationPage),
    ),
    security(("bearer" = []))
)]
#[get("/admin/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<ListNotificationsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadNotifications)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("invalid_query", "limit must be between 1 and 100", Some("limit")));
    }
    let after = query.cursor.as_deref().map(cursor::decode).transpose()?;
    let status = Some(query.status.unwrap_or(NotificationStatus::Failed));
    let mut conn = state.conn().await?;
    let mut rows = Notification::list(&mut conn, status, query.order_id, after, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|n| cursor::encode(n.updated_at, n.id))
    } else {
        None
    };
    let ids: Vec<Uuid> = rows.iter().map(|n| n.id).collect();
    let attempts = NotificationAttempt::for_notifications(&mut conn, &ids).await?;
    let notifications = rows
        .iter()
        .map(|n| {
            let own: Vec<NotificationAttempt> =
                attempts.iter().filter(|a| a.notification_id == n.id).cloned().collect();
            NotificationView::new(n, &own)
        })
        .collect();
    Ok(HttpResponse::Ok().json(NotificationPage { notifications, next_cursor }))
}
