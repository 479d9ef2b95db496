use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use ordertrack_shared::domain::Locale;
use ordertrack_shared::models::{Customer, PortalSession, Preferences};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalCustomer {
    pub id: Uuid,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// The signed-in shopper's session, as the web app needs it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalSessionView {
    pub customer: PortalCustomer,
    /// The language the storefront asked for.
    pub locale: Locale,
    /// The shopper's chosen time zone (IANA); absent when never chosen, and
    /// the app then uses the browser's.
    pub time_zone: Option<String>,
    /// "Back to the store".
    pub return_url: Option<String>,
    /// Send as `X-CSRF-Token` with every write.
    pub csrf_token: String,
    /// The session ends here if unused (renewed on use)...
    pub idle_expires_at: DateTime<Utc>,
    /// ...and here in any case.
    pub expires_at: DateTime<Utc>,
}

impl PortalSessionView {
    pub async fn load(
        state: &AppState,
        conn: &mut AsyncPgConnection,
        session: &PortalSession,
    ) -> Result<Self, ApiError> {
        let customer = Customer::find(conn, session.customer_id).await?;
        // New customers get "UTC" written as the default: that is no choice.
        let time_zone = Preferences::load(conn, customer.id).await?.map(|p| p.time_zone).filter(|zone| zone != "UTC");
        Ok(PortalSessionView {
            customer: PortalCustomer { id: customer.id, name: customer.name, email: customer.email },
            locale: session.locale,
            time_zone,
            return_url: session.return_url.clone(),
            csrf_token: state.signer.csrf_token(session.id),
            idle_expires_at: session.idle_expires_at,
            expires_at: session.expires_at,
        })
    }
}
