use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::cache::Invalidation;
use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::models::{NewAuditEntry, TemplateVersion};
use serde_json::json;

use super::view::{parse_key, versions, TemplateVersionView};
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Activate the version before the active one.
#[utoipa::path(
    post, path = "/api/v1/admin/templates/{event}/{channel}/{locale}/rollback", tag = "templates",
    params(("event" = NotificationEvent, Path), ("channel" = Channel, Path), ("locale" = Locale, Path)),
    responses(
        Bearer,
        (status = 200, description = "Versions after the change", body = Vec<TemplateVersionView>),
        (status = 404, description = "No such template (event, channel and locale)", body = ErrorBody),
        (status = 409, description = "Nothing earlier to go back to", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/admin/templates/{event}/{channel}/{locale}/rollback")]
pub async fn rollback_template(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTemplates)?;
    let key = parse_key(&path.0, &path.1, &path.2)?;
    let renderer = state.renderer.clone();
    let entry = audit::entry(
        &principal,
        &req,
        "template.rollback",
        "template",
        &format!("{}/{}/{}", key.event, key.channel, key.locale),
    );
    let mut conn = state.conn().await?;
    let all = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let all = versions(conn, &renderer, key).await?;
            let active = all.iter().find(|v| v.active).map(|v| v.version).unwrap_or(1);
            let previous =
                all.iter().map(|v| v.version).filter(|v| *v < active).max().ok_or_else(|| {
                    ApiError::conflict("no_previous_version", format!("version {active} is the first"))
                })?;
            TemplateVersion::activate(conn, key, previous).await?;
            NewAuditEntry {
                before: Some(json!({"active": active})),
                after: Some(json!({"active": previous})),
                ..entry
            }
            .insert(conn)
            .await?;
            Ok(TemplateVersion::all(conn, key).await?)
        })
        .await?;
    state.announce_change(Invalidation::Template(key)).await;
    Ok(HttpResponse::Ok().json(all.iter().map(TemplateVersionView::from).collect::<Vec<_>>()))
}
