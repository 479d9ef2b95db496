use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{ChangeSource, OrderStatus, Role};
use ordertrack_shared::models::{NewAuditEntry, Order};
use ordertrack_shared::orders::{plan_status_change, plan_status_change_of, StatusChangeError, StatusChangeRequest};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::locale;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;
use crate::views::OrderView;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStatusRequest {
    pub status: OrderStatus,
    /// Why; shown to staff in the timeline.
    pub note: Option<String>,
    /// The version you read; or send it as `If-Match`. A stale one gets 412.
    pub version: Option<i32>,
    /// When it happened; default now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// Reads `If-Match: "3"` (or `W/"3"`).
fn if_match(req: &HttpRequest) -> Result<Option<i32>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let bad =
        || ApiError::bad_request("invalid_header", "If-Match must be the order's ETag, e.g. \"3\"", Some("If-Match"));
    let text = value.to_str().map_err(|_| bad())?.trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse().map(Some).map_err(|_| bad())
}

fn source_for(role: Role) -> ChangeSource {
    match role {
        Role::Admin => ChangeSource::Admin,
        Role::Csr => ChangeSource::Csr,
        // (Analysts cannot change a status: `Permission::ChangeOrderStatus`.)
        Role::Service | Role::Customer | Role::Analyst => ChangeSource::Storefront,
    }
}

/// Move an order to a new status through the configured workflow. The
/// change and its history entry are one transaction.
#[utoipa::path(
    post, path = "/api/v1/orders/{id}/status", tag = "orders",
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The order's ETag (version)"),
        ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts"),
    ),
    request_body = UpdateStatusRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "Changed", body = OrderView),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Transition not allowed; lists the allowed next states", body = ErrorBody),
        (status = 412, description = "Stale version", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/status")]
pub async fn update_order_status(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ChangeOrderStatus)?;
    let body: UpdateStatusRequest = json::body(payload, state.config.max_body_bytes).await?;
    let header_version = if_match(&req)?;
    if let (Some(h), Some(b)) = (header_version, body.version) {
        if h != b {
            return Err(ApiError::invalid("version", "version and If-Match disagree"));
        }
    }
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(ApiError::invalid("note", "note must be at most 1000 characters"));
    }
    // A manual change by staff must say why; systems (storefronts) need not.
    if note.is_none() && matches!(principal.role, Role::Admin | Role::Csr) {
        return Err(ApiError::invalid("note", "give the reason for this manual change in note"));
    }
    let change = StatusChangeRequest {
        order_id: *id,
        to: body.status,
        expected_version: header_version.or(body.version),
        role: principal.role,
        source: source_for(principal.role),
        actor: principal.actor(),
        note,
        occurred_at: body.occurred_at.unwrap_or_else(Utc::now),
        payload: serde_json::json!({}),
    };
    let mut conn = state.conn().await?;
    let audit_entry = audit::entry(&principal, &req, "order.status_change", "order", &id.to_string());
    let audited = |order: &Order| NewAuditEntry {
        before: Some(json!({"status": order.status, "version": order.version})),
        after: Some(json!({"status": change.to, "version": order.version + 1, "note": change.note})),
        ..audit_entry.clone()
    };
    // Optimistic first, as a change rarely races another on one order: the
    // order read, then the change written by one statement guarded by the
    // version read (which answers the parcels too), with no transaction.
    let order = Order::find(&conn, change.order_id).await.map_err(|e| match e {
        diesel::result::Error::NotFound => StatusChangeError::NotFound,
        e => e.into(),
    })?;
    let planned = plan_status_change_of(&mut conn, order, &change).await?;
    let audit = audited(&planned.order);
    let changed = match planned.write(&mut conn, Some(&audit)).await? {
        Some(changed) => changed,
        // Another change came first: checked again and written under the
        // order's lock, which cannot lose the race.
        None => {
            conn.transaction::<_, ApiError, _>(async |conn| {
                let planned = plan_status_change(conn, &change).await?;
                let audit = audited(&planned.order);
                let current = planned.order.version;
                Ok(planned.write(conn, Some(&audit)).await?.ok_or(StatusChangeError::StaleVersion { current })?)
            })
            .await?
        }
    };
    state.enqueuer.after_commit(&changed.notifications).await;
    let order = changed.order;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, format!("\"{}\"", order.version))).json(OrderView::new(
        &order,
        &changed.shipments,
        locale::accepted(&req).unwrap_or(order.locale),
    )))
}
