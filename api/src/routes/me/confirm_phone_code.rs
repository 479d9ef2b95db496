use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use ordertrack_shared::cache::Invalidation;
use ordertrack_shared::domain::Channel;
use ordertrack_shared::models::{Customer, PhoneVerification, Preferences};
use ordertrack_shared::notify::preferences::DEFAULT_SMS_EVENTS;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmPhoneCode {
    pub code: String,
}

/// What went wrong with a code; kept outside the transaction so a wrong
/// try is counted (committed) before the refusal is returned.
enum Check {
    Verified(Customer),
    Wrong { remaining: i32 },
    Refused(ApiError),
}

/// Confirm the code: the number becomes the customer's verified phone, and
/// SMS is turned on for the key delivery events.
#[utoipa::path(
    post, path = "/api/v1/me/phone/verification/confirm", tag = "preferences",
    request_body = ConfirmPhoneCode,
    responses(
        Bearer,
        JsonBody,
        (status = 200, description = "Verified"),
        (status = 422, description = "Wrong, expired or used-up code", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/me/phone/verification/confirm")]
pub async fn confirm_phone_code(
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageOwnProfile)?;
    let customer_id = principal.customer()?;
    let body: ConfirmPhoneCode = json::body(payload, state.config.max_body_bytes).await?;
    let code = body.code.trim().to_owned();
    let max_attempts = state.config.phone_code_max_attempts;
    let signer = state.signer.clone();
    let mut conn = state.conn().await?;
    let check = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let refused = |message: &str| Check::Refused(ApiError::invalid("code", message.to_owned()));
            let Some(request) = PhoneVerification::latest_for_update(conn, customer_id).await? else {
                return Ok(refused("no code was requested"));
            };
            if request.verified_at.is_some() {
                return Ok(refused("this code was already used; request a new one"));
            }
            if request.expires_at <= Utc::now() {
                return Ok(refused("the code has expired; request a new one"));
            }
            if request.failed_attempts >= max_attempts {
                return Ok(refused("too many wrong codes; request a new one"));
            }
            if !signer.code_matches(request.id, &code, &request.code_hash) {
                let failed = PhoneVerification::record_failure(conn, request.id).await?;
                return Ok(Check::Wrong { remaining: (max_attempts - failed).max(0) });
            }
            PhoneVerification::mark_verified(conn, request.id).await?;
            let customer = Customer::set_verified_phone(conn, customer_id, &request.phone).await?;
            let mut prefs = Preferences::load(conn, customer_id)
                .await?
                .unwrap_or_else(|| Preferences::defaults(customer_id, customer.locale, false));
            for event in DEFAULT_SMS_EVENTS {
                prefs.channels.entry(*event).or_default().insert(Channel::Sms);
            }
            prefs.save(conn).await?;
            Ok(Check::Verified(customer))
        })
        .await?;
    match check {
        Check::Verified(customer) => {
            state.announce_change(Invalidation::Preferences(customer.id)).await;
            Ok(HttpResponse::Ok().json(json!({"phone": customer.phone, "verified_at": customer.phone_verified_at})))
        }
        Check::Wrong { remaining } => Err(ApiError::Invalid {
            code: "wrong_code",
            message: if remaining > 0 {
                format!("wrong code; {remaining} tries left")
            } else {
                "wrong code; no tries left, request a new one".into()
            },
            field: Some("code".into()),
        }),
        Check::Refused(error) => Err(error),
    }
}
