use actix_web::{post, web, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::models::{Order, Shipment};
use ordertrack_shared::templates::{MessageContext, TemplateParts};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::view::{parse_key, parts, sample_data, versions, RenderedView};
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Render with this order's data instead of the sample.
    pub order_id: Option<Uuid>,
}

/// Render a version with sample data or a real order.
#[utoipa::path(
    post, path = "/api/v1/admin/templates/{event}/{channel}/{locale}/versions/{version}/preview", tag = "templates",
    params(("event" = NotificationEvent, Path), ("channel" = Channel, Path), ("locale" = Locale, Path), ("version" = i32, Path)),
    request_body = PreviewRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "Rendered", body = RenderedView),
        (status = 404, description = "No such version or order", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/admin/templates/{event}/{channel}/{locale}/versions/{version}/preview")]
pub async fn preview_template_version(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String, i32)>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTemplates)?;
    let key = parse_key(&path.0, &path.1, &path.2)?;
    let body = json::read_body(payload, state.config.max_body_bytes).await?;
    let request: PreviewRequest = if body.is_empty() { PreviewRequest::default() } else { json::parse(&body)? };
    let renderer = state.renderer.clone();
    let mut conn = state.conn().await?;
    let all = conn.transaction::<_, ApiError, _>(async |conn| versions(conn, &renderer, key).await).await?;
    let version = all.iter().find(|v| v.version == path.3).ok_or(ApiError::NotFound("template version"))?;
    let data = preview_data(&state, &mut conn, key.locale, request.order_id).await?;
    let rendered = state
        .renderer
        .render_parts(key.channel.as_str(), &parts(version), &data)
        .map_err(|e| ApiError::invalid("version", e.to_string()))?;
    Ok(HttpResponse::Ok().json(RenderedView::from(rendered)))
}

/// The sample, or a real order's data, for a preview.
async fn preview_data(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    locale: Locale,
    order_id: Option<Uuid>,
) -> Result<MessageContext, ApiError> {
    let Some(order_id) = order_id else { return Ok(sample_data()) };
    let order = Order::find(conn, order_id).await.map_err(|_| ApiError::NotFound("order"))?;
    let mut data = MessageContext::for_order(&order, locale, &state.config.public_base_url);
    if let Some(latest) = Shipment::for_order(conn, order.id).await?.last() {
        data = data.with_shipment(latest);
    }
    Ok(MessageContext { unsubscribe_url: "#".into(), ..data })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftPreviewRequest {
    /// The text being edited (the SMS, the push, or the email's text part).
    #[schema(max_length = 20000)]
    pub body: String,
    /// Email only.
    pub subject: Option<String>,
    /// Email only: the HTML part.
    pub html: Option<String>,
    /// Render with this order's data instead of the sample.
    pub order_id: Option<Uuid>,
}

/// Render text that is not saved yet (the editor's live preview), with
/// sample data or a real order. Nothing is stored; a template that does not
/// render is 422 with the reason, naming the part.
#[utoipa::path(
    post, path = "/api/v1/admin/templates/{event}/{channel}/{locale}/preview", tag = "templates",
    params(("event" = NotificationEvent, Path), ("channel" = Channel, Path), ("locale" = Locale, Path)),
    request_body = DraftPreviewRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "Rendered", body = RenderedView),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 422, description = "The text does not render", body = ErrorBody),
    ),
    security(("bearer" = []), ("staff_cookie" = []))
)]
#[post("/admin/templates/{event}/{channel}/{locale}/preview")]
pub async fn preview_template_draft(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTemplates)?;
    let key = parse_key(&path.0, &path.1, &path.2)?;
    let request: DraftPreviewRequest = json::body(payload, state.config.max_body_bytes).await?;
    let mut conn = state.conn().await?;
    let data = preview_data(&state, &mut conn, key.locale, request.order_id).await?;
    let draft = TemplateParts { subject: request.subject, body: request.body, html: request.html };
    let rendered = state
        .renderer
        .render_parts(key.channel.as_str(), &draft, &data)
        .map_err(|e| ApiError::invalid("body", e.to_string()))?;
    Ok(HttpResponse::Ok().json(RenderedView::from(rendered)))
}
