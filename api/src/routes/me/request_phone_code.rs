use actix_web::http::header;
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{mobile_number, Channel, NotificationEvent};
use ordertrack_shared::models::{Customer, NewNotification, PhoneVerification};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::json;
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestPhoneCode {
    /// International form, e.g. "+34 600 123 456".
    pub phone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhoneCodeSent {
    pub phone: String,
    pub expires_at: DateTime<Utc>,
    /// A new code may be asked for from then on (the cooldown).
    pub resend_after: DateTime<Utc>,
}

/// Send a 6-digit code by SMS to verify a mobile number. The code expires
/// (10 minutes by default), allows 5 wrong tries, and a new one can be asked
/// for only after a cooldown. Only its keyed hash is stored.
#[utoipa::path(
    post, path = "/api/v1/me/phone/verification", tag = "preferences",
    request_body = RequestPhoneCode,
    responses(
        Bearer,
        JsonBody,
        (status = 202, description = "The code is on its way", body = PhoneCodeSent),
        (status = 422, description = "Not a number that can receive SMS", body = ErrorBody),
        (status = 429, description = "Asked again too soon", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/me/phone/verification")]
pub async fn request_phone_code(
    state: web::Data<AppState>,
    principal: Principal,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageOwnProfile)?;
    let customer_id = principal.customer()?;
    let ip = crate::client_ip::client_key(&req, &state.config.webhooks.trusted_proxies);
    state.rate_limiter.check("phone-code", &ip, state.config.phone_code_rate_per_minute, 60).await?;
    let body: RequestPhoneCode = json::body(payload, state.config.max_body_bytes).await?;
    let phone = mobile_number(&body.phone).map_err(|e| ApiError::invalid("phone", e.to_string()))?.into_inner();
    let config = &state.config;
    let mut conn = state.conn().await?;
    let customer = Customer::find(&mut conn, customer_id).await?;
    let now = Utc::now();
    let cooldown = chrono::Duration::from_std(config.phone_code_cooldown).unwrap_or_default();
    let ttl = chrono::Duration::from_std(config.phone_code_ttl).unwrap_or_default();
    let verification_id = Uuid::now_v7();
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
    let code_hash = state.signer.code_hash(verification_id, &code);
    let notification = conn
        .transaction::<_, ApiError, _>(async |conn| {
            if let Some(last) = PhoneVerification::latest_for_update(conn, customer_id).await? {
                let wait = last.created_at + cooldown - now;
                if wait > chrono::Duration::zero() {
                    let retry_after = wait.num_seconds().max(1) as u64;
                    return Err(ApiError::TooManyRequests { retry_after, limit: 1 });
                }
            }
            PhoneVerification {
                id: verification_id,
                customer_id,
                phone: phone.clone(),
                code_hash,
                expires_at: now + ttl,
                failed_attempts: 0,
                created_at: now,
                verified_at: None,
            }
            .insert(conn)
            .await?;
            // The code travels in the outbox row until it is sent, then the
            // worker wipes it.
            let row = NewNotification::for_customer(
                customer_id,
                &verification_id.to_string(),
                NotificationEvent::VerificationCode,
                Channel::Sms,
                phone.clone(),
                customer.locale,
            )
            .payload(json!({"code": code}));
            Ok(row.insert_once(conn).await?)
        })
        .await?;
    state.enqueuer.push_notifications(notification.as_slice()).await;
    Ok(HttpResponse::Accepted().insert_header((header::CACHE_CONTROL, "no-store")).json(PhoneCodeSent {
        phone,
        expires_at: now + ttl,
        resend_after: now + cooldown,
    }))
}
