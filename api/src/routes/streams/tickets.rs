use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::domain::Role;
use ordertrack_shared::models::StreamTicket;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Credential, Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::routes::orders::load::visible_order;
use crate::state::AppState;

/// How long a ticket can wait before it is used.
const TICKET_TTL_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketScopeName {
    /// `/api/v1/orders/{order_id}/events`
    Order,
    /// `/api/v1/me/events` (customers)
    Me,
    /// `/api/v1/admin/events` (staff)
    Admin,
    /// `/api/v1/ws`
    Ws,
}

impl TicketScopeName {
    fn as_str(self) -> &'static str {
        match self {
            TicketScopeName::Order => "order",
            TicketScopeName::Me => "me",
            TicketScopeName::Admin => "admin",
            TicketScopeName::Ws => "ws",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketRequest {
    pub scope: TicketScopeName,
    /// Required for the `order` scope.
    pub order_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    /// Pass as `?ticket=` once; it is not stored anywhere readable.
    pub ticket: String,
    pub expires_at: DateTime<Utc>,
}

/// A single-use pass (valid 60 s) for opening one event stream from a
/// browser, which cannot send an `Authorization` header with `EventSource`
/// or `WebSocket`. It acts as the token that asked for it, for that stream only.
#[utoipa::path(
    post, path = "/api/v1/stream-tickets", tag = "live",
    request_body = TicketRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Issued", body = TicketView),
        (status = 403, description = "This role may not open that stream", body = ErrorBody),
        (status = 404, description = "No such order, or not yours", body = ErrorBody),
        (status = 409, description = "Signed in by the web app's session cookie, which streams accept as it is", body = ErrorBody),
        (status = 422, description = "order_id missing for the order scope", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/stream-tickets")]
pub async fn create_stream_ticket(
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body: TicketRequest = json::body(payload, state.config.max_body_bytes).await?;
    if principal.credential == Credential::PortalSession {
        return Err(ApiError::conflict(
            "ticket_not_needed",
            "streams accept the session cookie; tickets are for API tokens",
        ));
    }
    let mut conn = state.conn().await?;
    let order_id = match body.scope {
        TicketScopeName::Order => {
            principal.require(Permission::ReadOrder)?;
            let id = body
                .order_id
                .ok_or_else(|| ApiError::invalid("order_id", "order_id is required for the order scope"))?;
            Some(visible_order(&conn, &principal, id).await?.id)
        }
        TicketScopeName::Me if principal.role != Role::Customer => return Err(ApiError::Forbidden),
        TicketScopeName::Admin => {
            principal.require(Permission::ServeCustomers)?;
            None
        }
        TicketScopeName::Me | TicketScopeName::Ws => None,
    };
    let expires_at = Utc::now() + chrono::Duration::seconds(TICKET_TTL_SECS);
    let ticket = StreamTicket::issue(&mut conn, principal.token_id, body.scope.as_str(), order_id, expires_at).await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(TicketView { ticket, expires_at }))
}
