//! Loading an order the caller is allowed to see.

use ordertrack_shared::models::Order;
use uuid::Uuid;

use crate::auth::Principal;
use crate::errors::ApiError;
use diesel_async::AsyncPgConnection;

/// The order, or 404 both when it does not exist and when it is someone else's.
pub async fn visible_order(conn: &mut AsyncPgConnection, principal: &Principal, id: Uuid) -> Result<Order, ApiError> {
    match Order::find(conn, id).await {
        Ok(order) if principal.can_see(order.customer_id) => Ok(order),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(ApiError::NotFound("order")),
        Err(e) => Err(e.into()),
    }
}
