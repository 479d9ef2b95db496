//! One handler per file; every route is registered here.

pub mod activate_template_version;
mod change_workflow;
pub mod confirm_phone_code;
pub mod create_customer_request;
pub mod create_guest_request;
pub mod create_order;
pub mod create_shipment;
pub mod create_template_version;
pub mod create_token;
mod customer_request_body;
pub mod delete_device;
pub mod delete_workflow_transition;
pub mod diff_template_versions;
pub mod get_notification;
pub mod get_order;
pub mod get_order_timeline;
pub mod get_preferences;
pub mod get_workflow;
pub mod health;
pub mod list_audit_log;
pub mod list_carrier_receipts;
pub mod list_customer_requests;
pub mod list_notifications;
pub mod list_order_notifications;
pub mod list_orders;
pub mod list_template_versions;
mod load;
mod notification_view;
mod preferences_body;
pub mod preview_template_version;
pub mod put_preferences;
pub mod put_workflow_transition;
pub mod receive_carrier_webhook;
pub mod register_device;
pub mod replay_notification;
pub mod reprocess_carrier_receipt;
pub mod request_phone_code;
pub mod resolve_customer_request;
pub mod rollback_template;
pub mod send_order_message;
mod template_admin;
pub mod track_by_link;
pub mod track_order;
pub mod tracking_page;
pub mod twilio_status_callback;
pub mod unsubscribe;
pub mod unsubscribe_page;
pub mod update_order_status;
mod workflow_view;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(twilio_status_callback::twilio_status_callback)
        .service(receive_carrier_webhook::receive_carrier_webhook)
        .service(unsubscribe::unsubscribe)
        .service(tracking_page::tracking_page)
        .service(unsubscribe_page::unsubscribe_page)
        .service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            web::scope("/api/v1")
                .service(create_order::create_order)
                .service(list_orders::list_orders)
                .service(get_order::get_order)
                .service(get_order_timeline::get_order_timeline)
                .service(update_order_status::update_order_status)
                .service(create_shipment::create_shipment)
                .service(track_order::track_order)
                .service(track_by_link::track_by_link)
                .service(create_token::create_token)
                .service(get_preferences::get_preferences)
                .service(put_preferences::put_preferences)
                .service(request_phone_code::request_phone_code)
                .service(confirm_phone_code::confirm_phone_code)
                .service(register_device::register_device)
                .service(delete_device::delete_device)
                .service(list_notifications::list_notifications)
                .service(get_notification::get_notification)
                .service(replay_notification::replay_notification)
                .service(create_customer_request::create_customer_request)
                .service(create_guest_request::create_guest_request)
                .service(list_customer_requests::list_customer_requests)
                .service(list_carrier_receipts::list_carrier_receipts)
                .service(reprocess_carrier_receipt::reprocess_carrier_receipt)
                .service(list_audit_log::list_audit_log)
                .service(list_order_notifications::list_order_notifications)
                .service(send_order_message::send_order_message)
                .service(resolve_customer_request::resolve_customer_request)
                .service(list_template_versions::list_template_versions)
                .service(create_template_version::create_template_version)
                .service(activate_template_version::activate_template_version)
                .service(rollback_template::rollback_template)
                .service(preview_template_version::preview_template_version)
                .service(diff_template_versions::diff_template_versions)
                .service(get_workflow::get_workflow)
                .service(put_workflow_transition::put_workflow_transition)
                .service(delete_workflow_transition::delete_workflow_transition),
        );
}
