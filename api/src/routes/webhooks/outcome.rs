//! Every inbound webhook's answer, counted by source and outcome
//! (`webhook_receipts_total`): accepted, rejected (authentication, source
//! address or rate limit), invalid (a body we cannot use), error (ours).

use actix_web::{HttpResponse, ResponseError};
use ordertrack_shared::metrics::WEBHOOK_RECEIPTS;

use crate::errors::ApiError;

pub fn count(source: &str, result: &Result<HttpResponse, ApiError>) {
    let outcome = match result {
        Ok(_) => "accepted",
        Err(e) => match e.status_code().as_u16() {
            401 | 403 | 429 => "rejected",
            400..=499 => "invalid",
            _ => "error",
        },
    };
    WEBHOOK_RECEIPTS.with_label_values(&[source, outcome]).inc();
}
