use actix_web::{put, web, HttpResponse};
use ordertrack_shared::cache::Invalidation;
use ordertrack_shared::domain::Channel;
use ordertrack_shared::models::{Customer, OptOut};

use super::get_preferences::opted_out;
use super::preferences_body::{PreferencesView, PutPreferencesRequest};
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

/// Replace the caller's preferences. Turning a channel on here also lifts
/// an earlier one-click unsubscribe of the customer's own address.
#[utoipa::path(
    put, path = "/api/v1/me/preferences", tag = "preferences",
    request_body = PutPreferencesRequest,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "Saved", body = PreferencesView),
        (status = 422, description = "Invalid field (unknown event or channel, time zone, SMS without a verified phone)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[put("/me/preferences")]
pub async fn put_preferences(
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageOwnProfile)?;
    let customer_id = principal.customer()?;
    let body: PutPreferencesRequest = json::body(payload, state.config.max_body_bytes).await?;
    let mut conn = state.conn().await?;
    let customer = Customer::find(&mut conn, customer_id).await?;
    let prefs = body.validate(&customer)?.save(&mut conn).await?;
    state.announce_change(Invalidation::Preferences(customer_id)).await;
    let wants = |channel| prefs.channels.values().any(|set| set.contains(&channel));
    for (channel, address) in [(Channel::Email, &customer.email), (Channel::Sms, &customer.phone)] {
        if let Some(address) = address.as_deref().filter(|_| wants(channel)) {
            OptOut::clear(&mut conn, channel, address).await?;
        }
    }
    let opted_out = opted_out(&mut conn, &customer).await?;
    Ok(HttpResponse::Ok().json(PreferencesView::new(&prefs, &customer, opted_out)))
}
