use actix_web::{get, web, HttpRequest, HttpResponse};
use ordertrack_shared::domain::OrderStatus;
use ordertrack_shared::models::{Order, OrderFilter, Shipment, SortOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::cursor;
use crate::errors::ApiError;
use crate::locale;
use crate::openapi::responses::Bearer;
use crate::state::AppState;
use crate::views::OrderView;

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
pub enum OrderSort {
    #[default]
    #[serde(rename = "-created_at")]
    NewestFirst,
    #[serde(rename = "created_at")]
    OldestFirst,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListOrdersQuery {
    pub status: Option<OrderStatus>,
    /// `true`: only orders still on their way; `false`: only delivered,
    /// cancelled or returned ones.
    pub active: Option<bool>,
    /// `-created_at` (newest first, default) or `created_at`.
    pub sort: Option<OrderSort>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// An order number (or its start), an email or a phone.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub orders: Vec<OrderView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The caller's orders (customers: their own; staff: all), filtered and
/// paginated by cursor.
#[utoipa::path(
    get, path = "/api/v1/orders", tag = "orders",
    params(ListOrdersQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts")),
    responses(
        Bearer,
        (status = 200, description = "One page", body = OrderPage),
    ),
    security(("bearer" = []))
)]
#[get("/orders")]
pub async fn list_orders(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: web::Query<ListOrdersQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ListOrders)?;
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("invalid_query", "limit must be between 1 and 100", Some("limit")));
    }
    if query.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiError::bad_request("invalid_query", "q must be at most 200 characters", Some("q")));
    }
    let filter = OrderFilter {
        customer_id: if principal.role.sees_all_orders() {
            None
        } else {
            // A customer token always names its customer (a table constraint).
            Some(principal.customer_id.ok_or(ApiError::Forbidden)?)
        },
        status: query.status,
        active: query.active,
        search: query.q.clone(),
        sort: match query.sort.unwrap_or_default() {
            OrderSort::NewestFirst => SortOrder::NewestFirst,
            OrderSort::OldestFirst => SortOrder::OldestFirst,
        },
        after: query.cursor.as_deref().map(cursor::decode).transpose()?,
        limit: limit + 1,
    };
    let mut conn = state.conn().await?;
    let mut orders = Order::list(&mut conn, &filter).await?;
    let next_cursor = if orders.len() as i64 > limit {
        orders.truncate(limit as usize);
        orders.last().map(|o| cursor::encode(o.created_at, o.id))
    } else {
        None
    };
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let shipments = Shipment::for_orders(&conn, &ids).await?;
    let orders = orders
        .iter()
        .map(|o| {
            let own: Vec<Shipment> = shipments.iter().filter(|s| s.order_id == o.id).cloned().collect();
            OrderView::new(o, &own, locale::accepted(&req).unwrap_or(o.locale))
        })
        .collect();
    Ok(HttpResponse::Ok().json(OrderPage { orders, next_cursor }))
}
