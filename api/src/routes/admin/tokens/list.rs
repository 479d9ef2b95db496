use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use ordertrack_shared::models::ApiToken;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::view::TokenView;
use crate::auth::{Permission, Principal};
use crate::cursor;
use crate::errors::ApiError;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListTokensQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPage {
    pub tokens: Vec<TokenView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Every API token, newest first (revoked and expired ones included), with
/// its status and last use. Secrets and their hashes are never shown.
#[utoipa::path(
    get, path = "/api/v1/tokens", tag = "auth",
    params(ListTokensQuery),
    responses(
        Bearer,
        (status = 200, description = "One page", body = TokenPage),
    ),
    security(("bearer" = []))
)]
#[get("/tokens")]
pub async fn list_tokens(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<ListTokensQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageTokens)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::bad_request("invalid_query", "limit must be between 1 and 200", Some("limit")));
    }
    let after = query.cursor.as_deref().map(cursor::decode).transpose()?;
    let mut conn = state.conn().await?;
    let mut tokens = ApiToken::list(&mut conn, after, limit + 1).await?;
    let next_cursor = if tokens.len() as i64 > limit {
        tokens.truncate(limit as usize);
        tokens.last().map(|t| cursor::encode(t.created_at, t.id))
    } else {
        None
    };
    let now = Utc::now();
    let tokens = tokens.into_iter().map(|t| TokenView::new(t, now)).collect();
    Ok(HttpResponse::Ok().json(TokenPage { tokens, next_cursor }))
}
