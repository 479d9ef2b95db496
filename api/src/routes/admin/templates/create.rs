use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::models::{NewAuditEntry, TemplateVersion};
use ordertrack_shared::templates::check::SmsFit;
use ordertrack_shared::templates::TemplateParts;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::view::{parse_key, validate, versions, RenderedView};
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTemplateVersion {
    /// email: the subject; push: the title.
    pub subject: Option<String>,
    /// email: plain text; sms: the message; push: the body.
    pub body: String,
    /// email only.
    pub html: Option<String>,
    /// Why this version.
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedVersion {
    pub version: i32,
    /// Not yet active: activate it to use it.
    pub active: bool,
    /// The version rendered with sample data (SMS: segments and encoding).
    pub sample: RenderedView,
    /// SMS only: the largest it gets with the longest values the API
    /// accepts (segments, encoding, values shortened to fit, the text).
    #[schema(value_type = Option<Object>)]
    pub worst_case: Option<SmsFit>,
}

/// Save a new version after checking it parses, renders with sample order
/// data and uses only known variables. An SMS must fit in two segments with
/// the longest values the API accepts (a 64-character order number, ...),
/// shortened where the renderer may shorten them; it reports its segments
/// with the sample and at its worst.
#[utoipa::path(
    post, path = "/api/v1/admin/templates/{event}/{channel}/{locale}", tag = "templates",
    params(("event" = NotificationEvent, Path), ("channel" = Channel, Path), ("locale" = Locale, Path)),
    request_body = NewTemplateVersion,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Saved (inactive)", body = CreatedVersion),
        (status = 404, description = "No such template (event, channel and locale)", body = ErrorBody),
        (status = 422, description = "Refused: the part, line and reason (an SMS over two segments: its segments)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/admin/templates/{event}/{channel}/{locale}")]
pub async fn create_template_version(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTemplates)?;
    let key = parse_key(&path.0, &path.1, &path.2)?;
    let body: NewTemplateVersion = json::body(payload, state.config.max_body_bytes).await?;
    let comment = body.comment.trim().to_owned();
    if comment.is_empty() {
        return Err(ApiError::invalid("comment", "say why this version exists"));
    }
    let draft = TemplateParts { subject: body.subject.clone(), body: body.body.clone(), html: body.html.clone() };
    let (sample, worst_case) = validate(&state.renderer, key, &draft, &state.config.public_base_url)?;
    let renderer = state.renderer.clone();
    let entry = audit::entry(
        &principal,
        &req,
        "template.create",
        "template",
        &format!("{}/{}/{}", key.event, key.channel, key.locale),
    );
    let actor = principal.actor();
    let mut conn = state.conn().await?;
    let version = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let existing = versions(conn, &renderer, key).await?;
            let number = existing.iter().map(|v| v.version).max().unwrap_or(0) + 1;
            TemplateVersion {
                id: Uuid::now_v7(),
                event: key.event,
                channel: key.channel,
                locale: key.locale,
                version: number,
                subject: draft.subject.clone(),
                body: draft.body.clone(),
                html: draft.html.clone(),
                comment: comment.clone(),
                created_by: actor,
                created_at: Utc::now(),
                active: false,
            }
            .insert(conn)
            .await?;
            NewAuditEntry { after: Some(json!({"version": number, "comment": comment})), ..entry }.insert(conn).await?;
            Ok(number)
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedVersion { version, active: false, sample, worst_case }))
}
