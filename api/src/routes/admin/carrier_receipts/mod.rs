//! Stored carrier webhook bodies: list (failed ones to look at) and reprocess.

pub mod list;
pub mod reprocess;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list::list_carrier_receipts).service(reprocess::reprocess_carrier_receipt);
}
