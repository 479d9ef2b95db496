use actix_web::{get, web, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::templates::diff::{diff_lines, DiffLine};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::view::{parse_key, versions};
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    pub from: i32,
    pub to: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateDiff {
    #[schema(value_type = Vec<Object>)]
    pub subject: Vec<DiffLine>,
    #[schema(value_type = Vec<Object>)]
    pub body: Vec<DiffLine>,
    #[schema(value_type = Vec<Object>)]
    pub html: Vec<DiffLine>,
}

/// Line by line, what changed from one version to another.
#[utoipa::path(
    get, path = "/api/v1/admin/templates/{event}/{channel}/{locale}/diff", tag = "templates",
    params(("event" = NotificationEvent, Path), ("channel" = Channel, Path), ("locale" = Locale, Path), DiffQuery),
    responses(
        Bearer,
        (status = 200, description = "The diff per part", body = TemplateDiff),
        (status = 404, description = "No such version", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admin/templates/{event}/{channel}/{locale}/diff")]
pub async fn diff_template_versions(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTemplates)?;
    let key = parse_key(&path.0, &path.1, &path.2)?;
    let renderer = state.renderer.clone();
    let mut conn = state.conn().await?;
    let all = conn.transaction::<_, ApiError, _>(async |conn| versions(conn, &renderer, key).await).await?;
    let find = |n: i32| all.iter().find(|v| v.version == n).ok_or(ApiError::NotFound("template version"));
    let (from, to) = (find(query.from)?, find(query.to)?);
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    Ok(HttpResponse::Ok().json(TemplateDiff {
        subject: diff_lines(&text(&from.subject), &text(&to.subject)),
        body: diff_lines(&from.body, &to.body),
        html: diff_lines(&text(&from.html), &text(&to.html)),
    }))
}
