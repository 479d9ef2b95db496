use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use ordertrack_shared::domain::{Locale, OrderStatus};
use ordertrack_shared::models::order::new_tracking_code;
use ordertrack_shared::models::{IdempotentResponse, NewCustomer, NewOrder};
use ordertrack_shared::orders;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::{Bearer, JsonBody};
use crate::state::AppState;
use crate::validate::{email, optional_text, phone, text, AddressInput};
use crate::views::OrderView;
use crate::{idempotency, json};

/// A registered customer, known to the storefront by its own id.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    #[schema(min_length = 1, max_length = 128)]
    pub external_id: String,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(max_length = 200)]
    pub name: Option<String>,
}

/// A guest checkout: no account, just how to reach them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestInput {
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(max_length = 200)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderRequest {
    /// The storefront's order number; unique.
    #[schema(min_length = 1, max_length = 64)]
    pub order_number: String,
    /// Exactly one of `customer` and `guest`.
    pub customer: Option<CustomerInput>,
    pub guest: Option<GuestInput>,
    /// Language tag for messages (es, en, ro, ru; `es-MX` works). Default en.
    pub locale: Option<String>,
    /// Initial status: pending or confirmed (default).
    pub status: Option<OrderStatus>,
    pub shipping_address: AddressInput,
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    /// When the shopper placed it; default now.
    pub placed_at: Option<DateTime<Utc>>,
}

struct Contact {
    customer: Option<NewCustomer>,
    email: Option<String>,
    phone: Option<String>,
    name: Option<String>,
}

fn validate_order_number(value: &str) -> Result<String, ApiError> {
    let number = text("order_number", value, 64)?;
    if number.chars().all(|c| c.is_ascii_alphanumeric() || "-_#./".contains(c)) {
        Ok(number)
    } else {
        Err(ApiError::invalid("order_number", "order_number may use letters, digits and - _ # . / only"))
    }
}

fn validate_contact(req: &CreateOrderRequest, locale: Locale) -> Result<Contact, ApiError> {
    let contact = match (&req.customer, &req.guest) {
        (Some(c), None) => {
            let external_id = text("customer.external_id", &c.external_id, 128)?;
            let email = email("customer.email", c.email.as_ref())?;
            let phone = phone("customer.phone", c.phone.as_ref())?;
            let name = optional_text("customer.name", c.name.as_ref(), 200)?;
            Contact {
                customer: Some(NewCustomer {
                    id: Uuid::now_v7(),
                    external_id,
                    email: email.clone(),
                    phone: phone.clone(),
                    name: name.clone(),
                    locale,
                }),
                email,
                phone,
                name,
            }
        }
        (None, Some(g)) => Contact {
            customer: None,
            email: email("guest.email", g.email.as_ref())?,
            phone: phone("guest.phone", g.phone.as_ref())?,
            name: optional_text("guest.name", g.name.as_ref(), 200)?,
        },
        (Some(_), Some(_)) => return Err(ApiError::invalid("guest", "give either customer or guest, not both")),
        (None, None) => return Err(ApiError::invalid("customer", "give a customer or a guest contact")),
    };
    if contact.email.is_none() && contact.phone.is_none() {
        let field = if req.customer.is_some() { "customer.email" } else { "guest.email" };
        return Err(ApiError::invalid(field, "an email or a phone number is required to keep the shopper informed"));
    }
    Ok(contact)
}

fn validate(req: &CreateOrderRequest, now: DateTime<Utc>) -> Result<(NewOrder, Option<NewCustomer>), ApiError> {
    let order_number = validate_order_number(&req.order_number)?;
    let locale = match &req.locale {
        None => Locale::En,
        Some(tag) => Locale::from_tag(tag)
            .ok_or_else(|| ApiError::invalid("locale", format!("unsupported locale '{tag}': use en, es, ro or ru")))?,
    };
    let status = req.status.unwrap_or(OrderStatus::Confirmed);
    if !matches!(status, OrderStatus::Pending | OrderStatus::Confirmed) {
        return Err(ApiError::invalid("status", "a new order starts as pending or confirmed"));
    }
    let contact = validate_contact(req, locale)?;
    let address = req.shipping_address.validate("shipping_address")?;
    let placed_at = req.placed_at.unwrap_or(now);
    if placed_at > now + chrono::Duration::minutes(5) {
        return Err(ApiError::invalid("placed_at", "placed_at is in the future"));
    }
    if let Some(eta) = req.estimated_delivery_at {
        if eta < placed_at {
            return Err(ApiError::invalid(
                "estimated_delivery_at",
                "estimated delivery is before the order was placed",
            ));
        }
    }
    let order = NewOrder {
        id: Uuid::now_v7(),
        order_number,
        customer_id: None,
        contact_email: contact.email,
        contact_phone: contact.phone,
        contact_name: contact.name,
        locale,
        status,
        ship_name: address.ship_name,
        ship_line1: address.ship_line1,
        ship_line2: address.ship_line2,
        ship_city: address.ship_city,
        ship_region: address.ship_region,
        ship_postal_code: address.ship_postal_code,
        ship_country: address.ship_country,
        estimated_delivery_at: req.estimated_delivery_at,
        created_at: placed_at,
        tracking_code: new_tracking_code(),
    };
    Ok((order, contact.customer))
}

/// Record a new order (storefront). Writes, in one transaction, the order, its
/// first history entry and the order-confirmed email to send; the email is
/// queued after commit. A retry with the same `Idempotency-Key` returns the
/// first response.
#[utoipa::path(
    post, path = "/api/v1/orders", tag = "orders",
    request_body = CreateOrderRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response")),
    responses(
        Bearer,
        JsonBody,
        (status = 201, description = "Created", body = OrderView),
        (status = 409, description = "Order number already exists", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/orders")]
pub async fn create_order(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::CreateOrder)?;
    let key = idempotency::key(&req)?;
    let body = json::read_body(payload, state.config.max_body_bytes).await?;
    let request_hash = idempotency::request_hash(&body);
    let request: CreateOrderRequest = json::parse(&body)?;
    let (new_order, new_customer) = validate(&request, Utc::now())?;

    let mut conn = state.conn().await?;
    if let Some(key) = &key {
        if let Some(stored) = IdempotentResponse::find(&mut conn, principal.token_id, key).await? {
            return idempotency::replay(stored, &request_hash);
        }
    }
    let actor = principal.actor();
    let (token_id, stored_key, stored_hash) = (principal.token_id, key.clone(), request_hash.clone());
    let outcome = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let created = orders::create_order(conn, new_order, new_customer.as_ref(), actor).await?;
            let body = serde_json::to_value(OrderView::new(&created.order, &[], created.order.locale))
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            if let Some(key) = stored_key {
                IdempotentResponse {
                    token_id,
                    key,
                    request_hash: stored_hash,
                    response_status: 201,
                    response_body: body.clone(),
                }
                .insert(conn)
                .await?;
            }
            Ok((created, body))
        })
        .await;

    let (created, body) = match outcome {
        Ok(done) => done,
        // A concurrent request with the same key won the race (its order or
        // key row made ours conflict): answer as it did.
        Err(conflict @ ApiError::Conflict { .. }) if key.is_some() => {
            let key = key.as_deref().unwrap_or_default();
            return match IdempotentResponse::find(&mut conn, principal.token_id, key).await? {
                Some(stored) => idempotency::replay(stored, &request_hash),
                None => Err(conflict),
            };
        }
        Err(e) => return Err(e),
    };
    drop(conn);
    // Best effort: on failure the outbox sweeper re-enqueues the rows.
    state.enqueuer.after_commit(&created.notifications).await;
    let order = created.order;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/orders/{}", order.id)))
        .insert_header((header::ETAG, format!("\"{}\"", order.version)))
        .json(body))
}
