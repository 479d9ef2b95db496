use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ordertrack",
        description = "Order tracking and notifications. Errors are always `{\"error\", \"message\", \"field\"}`."
    ),
    paths(
        routes::create_order::create_order,
        routes::list_orders::list_orders,
        routes::get_order::get_order,
        routes::get_order_timeline::get_order_timeline,
        routes::update_order_status::update_order_status,
        routes::create_shipment::create_shipment,
        routes::track_order::track_order,
        routes::create_token::create_token,
        routes::health::healthz,
        routes::health::readyz,
        routes::health::metrics,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;
