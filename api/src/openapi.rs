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
        routes::track_by_link::track_by_link,
        routes::get_preferences::get_preferences,
        routes::put_preferences::put_preferences,
        routes::request_phone_code::request_phone_code,
        routes::confirm_phone_code::confirm_phone_code,
        routes::register_device::register_device,
        routes::delete_device::delete_device,
        routes::list_notifications::list_notifications,
        routes::get_notification::get_notification,
        routes::replay_notification::replay_notification,
        routes::twilio_status_callback::twilio_status_callback,
        routes::receive_carrier_webhook::receive_carrier_webhook,
        routes::create_customer_request::create_customer_request,
        routes::create_guest_request::create_guest_request,
        routes::list_customer_requests::list_customer_requests,
        routes::list_carrier_receipts::list_carrier_receipts,
        routes::reprocess_carrier_receipt::reprocess_carrier_receipt,
        routes::list_audit_log::list_audit_log,
        routes::list_order_notifications::list_order_notifications,
        routes::send_order_message::send_order_message,
        routes::resolve_customer_request::resolve_customer_request,
        routes::list_template_versions::list_template_versions,
        routes::create_template_version::create_template_version,
        routes::activate_template_version::activate_template_version,
        routes::rollback_template::rollback_template,
        routes::preview_template_version::preview_template_version,
        routes::diff_template_versions::diff_template_versions,
        routes::get_workflow::get_workflow,
        routes::put_workflow_transition::put_workflow_transition,
        routes::delete_workflow_transition::delete_workflow_transition,
        routes::unsubscribe::unsubscribe,
        routes::tracking_page::tracking_page,
        routes::unsubscribe_page::unsubscribe_page,
        routes::health::healthz,
        routes::health::readyz,
        routes::health::metrics,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;
