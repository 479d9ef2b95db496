use actix_web::{get, web, HttpResponse};
use diesel_async::AsyncPgConnection;
use ordertrack_shared::domain::Channel;
use ordertrack_shared::models::{Customer, OptOut, Preferences};

use super::preferences_body::PreferencesView;
use crate::auth::{Permission, Principal};
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// The channels the customer's own addresses were unsubscribed from.
pub async fn opted_out(conn: &mut AsyncPgConnection, customer: &Customer) -> Result<Vec<Channel>, ApiError> {
    let addresses = [(Channel::Email, &customer.email), (Channel::Sms, &customer.phone)];
    let wanted: Vec<(Channel, &str)> =
        addresses.iter().filter_map(|(channel, address)| Some((*channel, address.as_deref()?))).collect();
    let found = OptOut::among(conn, &wanted).await?;
    // In the order asked, email first.
    Ok(wanted.iter().map(|(channel, _)| *channel).filter(|channel| found.iter().any(|(c, _)| c == channel)).collect())
}

/// The caller's notification preferences (defaults until changed).
#[utoipa::path(
    get, path = "/api/v1/me/preferences", tag = "preferences",
    responses(
        Bearer,
        (status = 200, description = "Preferences", body = PreferencesView),
    ),
    security(("bearer" = []))
)]
#[get("/me/preferences")]
pub async fn get_preferences(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageOwnProfile)?;
    let customer_id = principal.customer()?;
    let mut conn = state.conn().await?;
    let customer = Customer::find(&mut conn, customer_id).await?;
    let prefs = Preferences::load(&mut conn, customer_id)
        .await?
        .unwrap_or_else(|| Preferences::defaults(customer_id, customer.locale, customer.phone_verified_at.is_some()));
    let opted_out = opted_out(&mut conn, &customer).await?;
    Ok(HttpResponse::Ok().json(PreferencesView::new(&prefs, &customer, opted_out)))
}
