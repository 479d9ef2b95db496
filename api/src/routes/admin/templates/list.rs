use actix_web::{get, web, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};

use super::view::{parse_key, versions, TemplateVersionView};
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Every version of one template (event × channel × locale); the file is
/// version 1.
#[utoipa::path(
    get, path = "/api/v1/admin/templates/{event}/{channel}/{locale}", tag = "templates",
    params(("event" = NotificationEvent, Path), ("channel" = Channel, Path), ("locale" = Locale, Path)),
    responses(
        Bearer,
        (status = 200, description = "Versions, oldest first", body = Vec<TemplateVersionView>),
        (status = 404, description = "No such template", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admin/templates/{event}/{channel}/{locale}")]
pub async fn list_template_versions(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTemplates)?;
    let key = parse_key(&path.0, &path.1, &path.2)?;
    let mut conn = state.conn().await?;
    let renderer = state.renderer.clone();
    let all = conn.transaction::<_, ApiError, _>(async |conn| versions(conn, &renderer, key).await).await?;
    Ok(HttpResponse::Ok().json(all.iter().map(TemplateVersionView::from).collect::<Vec<_>>()))
}
