use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{Channel, NotificationEvent};
use ordertrack_shared::models::{NewAuditEntry, Shipment};
use ordertrack_shared::notify::notify_order_on;
use ordertrack_shared::templates::MessageContext;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::load::visible_order;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::routes::admin::notifications::view::NotificationView;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    pub channel: Channel,
    /// Free text (sent with the `custom` template); or give `event`.
    pub message: Option<String>,
    /// Send an event's template instead (e.g. `delayed`).
    pub event: Option<NotificationEvent>,
    /// Only render; send nothing.
    #[serde(default)]
    pub preview: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessagePreview {
    pub locale: String,
    pub subject: Option<String>,
    pub body: String,
}

/// Compose a message to the order's customer: preview it, then send it
/// through the normal queue. Preferences and opt-outs apply (an opted-out
/// channel sends nothing).
#[utoipa::path(
    post, path = "/api/v1/orders/{id}/messages", tag = "customer service",
    params(("id" = Uuid, Path, description = "Order id")),
    request_body = SendMessage,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "Preview", body = MessagePreview),
        (status = 202, description = "Queued (an empty list: opted out)", body = Vec<NotificationView>),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/messages")]
pub async fn send_order_message(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ServeCustomers)?;
    let body: SendMessage = json::body(payload, state.config.max_body_bytes).await?;
    let (event, message) = match (&body.event, &body.message) {
        (None, Some(text)) => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > 1000 {
                return Err(ApiError::invalid("message", "message must be 1 to 1000 characters"));
            }
            (NotificationEvent::Custom, text.to_owned())
        }
        (Some(event), None) if event.is_preference() => (*event, String::new()),
        (Some(_), None) => return Err(ApiError::invalid("event", "this event cannot be sent by hand")),
        _ => return Err(ApiError::invalid("message", "give either message or event")),
    };
    let mut conn = state.conn().await?;
    let order = visible_order(&conn, &principal, *id).await?;
    if body.preview {
        let mut data = MessageContext::for_order(&order, order.locale, &state.config.public_base_url);
        if let Some(latest) = Shipment::for_order(&conn, order.id).await?.last() {
            data = data.with_shipment(latest);
        }
        let data = MessageContext { message: message.clone(), unsubscribe_url: "#".into(), ..data };
        let render = |e: ordertrack_shared::templates::TemplateError| ApiError::invalid("event", e.to_string());
        let preview = match body.channel {
            Channel::Email => {
                let email = state.renderer.render_email(event, order.locale, &data).map_err(render)?;
                MessagePreview { locale: order.locale.to_string(), subject: Some(email.subject), body: email.text }
            }
            Channel::Sms => MessagePreview {
                locale: order.locale.to_string(),
                subject: None,
                body: state.renderer.render_sms(event, order.locale, &data).map_err(render)?,
            },
            Channel::Push => {
                let (title, text) = state.renderer.render_push(event, order.locale, &data).map_err(render)?;
                MessagePreview { locale: order.locale.to_string(), subject: Some(title), body: text }
            }
        };
        return Ok(HttpResponse::Ok().json(preview));
    }
    let entry = audit::entry(&principal, &req, "order.message", "order", &order.id.to_string());
    let occasion = format!("message-{}", Uuid::now_v7());
    let payload = json!({"message": message});
    let notifications = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let rows = notify_order_on(conn, &order, event, &occasion, payload, Some(body.channel)).await?;
            let after = json!({"channel": body.channel, "event": event, "message": message, "queued": rows.len()});
            NewAuditEntry { after: Some(after), ..entry }.insert(conn).await?;
            Ok(rows)
        })
        .await?;
    state.enqueuer.push_notifications(&notifications).await;
    let views: Vec<NotificationView> = notifications.iter().map(|n| NotificationView::new(n, &[])).collect();
    Ok(HttpResponse::Accepted().json(views))
}
