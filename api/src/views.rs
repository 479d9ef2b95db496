//! Response bodies shared by several routes.

use chrono::{DateTime, Utc};
use ordertrack_shared::domain::{Locale, OrderStatus};
use ordertrack_shared::i18n::status_text;
use ordertrack_shared::models::{Order, Shipment};
pub use ordertrack_shared::orders::timeline::{ShipmentView, TimelineEntry, TimelineKind};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressView {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    pub id: Uuid,
    pub order_number: String,
    pub status: OrderStatus,
    /// `status` in words, in the language asked for.
    pub status_text: String,
    /// Send it back (or as `If-Match`) when changing the status.
    pub version: i32,
    pub locale: Locale,
    /// Absent for guest checkouts.
    pub customer_id: Option<Uuid>,
    pub contact: ContactView,
    pub shipping_address: AddressView,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    pub shipments: Vec<ShipmentView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrderView {
    /// The order with its texts in `locale`.
    pub fn new(order: &Order, shipments: &[Shipment], locale: Locale) -> Self {
        OrderView {
            id: order.id,
            order_number: order.order_number.clone(),
            status: order.status,
            status_text: status_text(order.status, locale).to_owned(),
            version: order.version,
            locale: order.locale,
            customer_id: order.customer_id,
            contact: ContactView {
                email: order.contact_email.clone(),
                phone: order.contact_phone.clone(),
                name: order.contact_name.clone(),
            },
            shipping_address: AddressView {
                name: order.ship_name.clone(),
                line1: order.ship_line1.clone(),
                line2: order.ship_line2.clone(),
                city: order.ship_city.clone(),
                region: order.ship_region.clone(),
                postal_code: order.ship_postal_code.clone(),
                country: order.ship_country.clone(),
            },
            estimated_delivery_at: order.estimated_delivery_at,
            shipments: shipments.iter().map(|s| ShipmentView::new(s, locale)).collect(),
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }
}
