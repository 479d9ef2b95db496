use actix_web::{get, web, HttpResponse};
use ordertrack_shared::models::CustomerRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::CustomerRequestView;
use crate::auth::{Permission, Principal};
use crate::cursor;
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListRequestsQuery {
    /// 1 to 100, default 50.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerRequestPage {
    pub requests: Vec<CustomerRequestView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Open customer requests, oldest first: customer service's queue,
/// paginated by cursor.
#[utoipa::path(
    get, path = "/api/v1/requests", tag = "customer actions",
    params(ListRequestsQuery),
    responses(
        Bearer,
        (status = 200, description = "One page of open requests", body = CustomerRequestPage),
    ),
    security(("bearer" = []))
)]
#[get("/requests")]
pub async fn list_customer_requests(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<ListRequestsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadNotifications)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("invalid_query", "limit must be between 1 and 100", Some("limit")));
    }
    let after = query.cursor.as_deref().map(cursor::decode).transpose()?;
    let mut conn = state.conn().await?;
    let mut open = CustomerRequest::open(&mut conn, after, limit + 1).await?;
    let next_cursor = if open.len() as i64 > limit {
        open.truncate(limit as usize);
        open.last().map(|r| cursor::encode(r.created_at, r.id))
    } else {
        None
    };
    let requests = open.iter().map(CustomerRequestView::from).collect();
    Ok(HttpResponse::Ok().json(CustomerRequestPage { requests, next_cursor }))
}
