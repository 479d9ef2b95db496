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

/// Make a version the one workers send (from the next message on).
#[utoipa::path(
    post, path = "/api/v1/admin/templates/{event}/{channel}/{locale}/versions/{version}/activate", tag = "templates",
    params(("event" = NotificationEvent, Path), ("channel" = Channel, Path), ("locale" = Locale, Path), ("version" = i32, Path)),
    responses(
        Bearer,
        (status = 200, description = "Versions after the change", body = Vec<TemplateVersionView>),
        (status = 404, description = "No such version", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/admin/templates/{event}/{channel}/{locale}/versions/{version}/activate")]
pub async fn activate_template_version(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<(String, String, String, i32)>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTemplates)?;
    let key = parse_key(&path.0, &path.1, &path.2)?;
    let number = path.3;
    let renderer = state.renderer.clone();
    let entry = audit::entry(
        &principal,
        &req,
        "template.activate",
        "template",
        &format!("{}/{}/{}", key.event, key.channel, key.locale),
    );
    let mut conn = state.conn().await?;
    let all = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = versions(conn, &renderer, key).await?.iter().find(|v| v.active).map(|v| v.version);
            if !TemplateVersion::activate(conn, key, number).await? {
                return Err(ApiError::NotFound("template version"));
            }
            NewAuditEntry { before: Some(json!({"active": before})), after: Some(json!({"active": number})), ..entry }
                .insert(conn)
                .await?;
            Ok(TemplateVersion::all(conn, key).await?)
        })
        .await?;
    state.announce_change(Invalidation::Template(key)).await;
    Ok(HttpResponse::Ok().json(all.iter().map(TemplateVersionView::from).collect::<Vec<_>>()))
}
