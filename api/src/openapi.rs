//! The OpenAPI document: every route's path, and the components they share.

#[cfg(test)]
mod coverage;
pub mod responses;
mod security;

use utoipa::OpenApi;

use crate::routes;
use security::Components;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ordertrack",
        description = "Order tracking and notifications. Errors are always `{\"error\", \"message\", \"field\"}`."
    ),
    paths(
        routes::orders::create::create_order,
        routes::orders::list::list_orders,
        routes::orders::get::get_order,
        routes::orders::timeline::get_order_timeline,
        routes::orders::status::update_order_status,
        routes::orders::shipments::create_shipment,
        routes::tracking::lookup::track_order,
        routes::admin::tokens::create::create_token,
        routes::admin::tokens::list::list_tokens,
        routes::admin::tokens::revoke::revoke_token,
        routes::tracking::by_link::track_by_link,
        routes::me::get_preferences::get_preferences,
        routes::me::put_preferences::put_preferences,
        routes::me::request_phone_code::request_phone_code,
        routes::me::confirm_phone_code::confirm_phone_code,
        routes::me::list_devices::list_devices,
        routes::me::register_device::register_device,
        routes::me::delete_device::delete_device,
        routes::admin::notifications::list::list_notifications,
        routes::admin::notifications::get::get_notification,
        routes::admin::notifications::replay::replay_notification,
        routes::webhooks::twilio::twilio_status_callback,
        routes::webhooks::carrier::receive_carrier_webhook,
        routes::requests::actions::order_actions,
        routes::requests::actions::guest_actions,
        routes::requests::create::create_customer_request,
        routes::requests::create_guest::create_guest_request,
        routes::requests::list::list_customer_requests,
        routes::admin::carrier_receipts::list::list_carrier_receipts,
        routes::admin::carrier_receipts::reprocess::reprocess_carrier_receipt,
        routes::admin::audit::list::list_audit_log,
        routes::orders::notifications::list_order_notifications,
        routes::orders::messages::send_order_message,
        routes::requests::claim::claim_customer_request,
        routes::requests::resolve::resolve_customer_request,
        routes::admin::templates::list::list_template_versions,
        routes::admin::templates::create::create_template_version,
        routes::admin::templates::activate::activate_template_version,
        routes::admin::templates::rollback::rollback_template,
        routes::admin::templates::preview::preview_template_version,
        routes::admin::templates::preview::preview_template_draft,
        routes::admin::templates::diff::diff_template_versions,
        routes::admin::workflow::get::get_workflow,
        routes::admin::workflow::put_transition::put_workflow_transition,
        routes::admin::workflow::delete_transition::delete_workflow_transition,
        routes::public::unsubscribe::unsubscribe,
        routes::public::tracking_page::tracking_page,
        routes::public::unsubscribe_page::unsubscribe_page,
        routes::public::message_links::open_pixel,
        routes::public::message_links::click,
        routes::public::rating_page::rating_page,
        routes::public::rating_page::rate,
        routes::webhooks::sendgrid::sendgrid_events,
        routes::portal::create_link::create_portal_session,
        routes::portal::exchange::open_portal_session,
        routes::portal::current::get_portal_session,
        routes::portal::sign_out::end_portal_session,
        routes::staff::sign_in::staff_sign_in,
        routes::staff::session::get_staff_session,
        routes::staff::session::end_staff_session,
        routes::staff::password::set_staff_password,
        routes::staff::totp::start_totp,
        routes::staff::totp::confirm_totp,
        routes::admin::staff::accounts::list_staff,
        routes::admin::staff::accounts::create_staff,
        routes::admin::staff::accounts::new_password_link,
        routes::admin::staff::accounts::disable_staff,
        routes::admin::staff::sessions::list_staff_sessions,
        routes::admin::staff::sessions::end_any_staff_session,
        routes::streams::tickets::create_stream_ticket,
        routes::streams::order_events::order_events,
        routes::streams::me_events::me_events,
        routes::streams::tracking_events::tracking_events,
        routes::streams::admin_events::admin_events,
        routes::streams::ws::websocket,
        routes::admin::analytics::series::notification_series,
        routes::admin::analytics::series::order_series,
        routes::admin::analytics::series::satisfaction_series,
        routes::admin::analytics::exports::export,
        routes::health::healthz,
        routes::health::readyz,
        routes::health::metrics,
    ),
    // Query-parameter enums are referenced but not collected by the paths.
    components(schemas(
        routes::orders::list::OrderSort,
        routes::orders::timeline::TimelineOrder,
        routes::streams::admin_events::EventQueue,
    )),
    modifiers(&Components)
)]
pub struct ApiDoc;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` anywhere in the document.
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$ref", serde_json::Value::String(target)) => found.push(target.clone()),
                        _ => refs(value, found),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
            _ => {}
        }
    }

    #[test]
    fn enums_are_documented_as_the_api_speaks_them() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let status = &doc["components"]["schemas"]["OrderStatus"]["enum"];
        assert!(status.as_array().is_some_and(|values| values.contains(&"out_for_delivery".into())), "{status}");
    }

    #[test]
    fn every_reference_resolves() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        let missing: Vec<_> = found
            .iter()
            .filter(|target| {
                let path = target.trim_start_matches("#/components/");
                let (kind, name) = path.split_once('/').unwrap_or((path, ""));
                doc["components"][kind].get(name).is_none()
            })
            .collect();
        assert!(missing.is_empty(), "unresolvable references: {missing:?}");
    }
}
