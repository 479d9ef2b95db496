use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use ordertrack_shared::cache::Invalidation;
use ordertrack_shared::models::{ApiToken, NewAuditEntry};
use serde_json::json;
use uuid::Uuid;

use super::view::TokenView;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// Revoke a token. Tokens are checked against the database on every request
/// (no cache), so from the next request on every replica refuses it (401).
/// Revoking a revoked token changes nothing and answers the same.
#[utoipa::path(
    post, path = "/api/v1/tokens/{id}/revoke", tag = "auth",
    params(("id" = Uuid, Path, description = "Token id")),
    responses(
        Bearer,
        (status = 200, description = "Revoked (now or before)", body = TokenView),
        (status = 404, description = "No such token", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tokens/{id}/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTokens)?;
    let mut conn = state.conn().await?;
    let token = match ApiToken::revoke(&mut conn, *id).await? {
        Some(token) => {
            let entry = audit::entry(&principal, &req, "token.revoke", "api_token", &token.id.to_string());
            let before = json!({"revoked_at": null});
            let after = json!({"revoked_at": token.revoked_at, "role": token.role, "label": token.label});
            audit::record(&mut conn, NewAuditEntry { before: Some(before), after: Some(after), ..entry }).await;
            tracing::info!(by = %principal.token_id, token = %token.id, "token revoked");
            state.announce_change(Invalidation::Token(token.id)).await;
            token
        }
        None => match ApiToken::find(&mut conn, *id).await {
            Ok(token) => token,
            Err(diesel::result::Error::NotFound) => return Err(ApiError::NotFound("token")),
            Err(e) => return Err(e.into()),
        },
    };
    Ok(HttpResponse::Ok().json(TokenView::new(token, Utc::now())))
}
