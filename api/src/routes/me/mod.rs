//! The signed-in customer's own settings: notification preferences, phone verification
//! and push devices.

pub mod confirm_phone_code;
pub mod delete_device;
pub mod get_preferences;
pub mod list_devices;
pub mod preferences_body;
pub mod put_preferences;
pub mod register_device;
pub mod request_phone_code;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_preferences::get_preferences)
        .service(put_preferences::put_preferences)
        .service(request_phone_code::request_phone_code)
        .service(confirm_phone_code::confirm_phone_code)
        .service(list_devices::list_devices)
        .service(register_device::register_device)
        .service(delete_device::delete_device);
}
