//! Loading an order the caller is allowed to see.

use ordertrack_shared::models::Order;
use uuid::Uuid;

use crate::auth::Principal;
use crate::errors::ApiError;
use diesel_async::AsyncPgConnection;

/// The order, or 404 both when it does not exist and when it is someone else's.
pub async fn visible_order(conn: &AsyncPgConnection, principal: &Principal, id: Uuid) -> Result<Order, ApiError> {
    match Order::find(conn, id).await {
        Ok(order) if principal.can_see(order.customer_id) => Ok(order),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(ApiError::NotFound("order")),
        Err(e) => Err(e.into()),
    }
}

/// The order behind a tracking link's code, after the per-IP tracking limit.
/// Unknown and malformed codes are the same 404.
pub async fn order_by_link(
    state: &crate::state::AppState,
    req: &actix_web::HttpRequest,
    conn: &mut AsyncPgConnection,
    code: &str,
) -> Result<Order, ApiError> {
    let ip = crate::client_ip::client_key(req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("tracking", &ip, state.config.tracking_rate_per_minute, 60).await?;
    if code.len() != 12 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::NotFound("order"));
    }
    match Order::find_by_tracking_code(conn, code).await {
        Ok(order) => Ok(order),
        Err(diesel::result::Error::NotFound) => Err(ApiError::NotFound("order")),
        Err(e) => Err(e.into()),
    }
}
