//! Token pairs: refresh, logout, and the user's sessions (list, revoke).

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiUser, Meta},
    v1::views::{MessageView, TokenView, message},
};
use crate::{
    error::{ApiError, AppError},
    service::accounts::sessions,
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshResponse {
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// Exchange a refresh token for a new access token and a new refresh token.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "Auth", operation_id = "refreshToken", security(()),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = RefreshResponse),
        (status = 401, description = "Unknown, expired or reused token", body = ApiError),
    )
)]
pub async fn refresh(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let state = state.get_ref().clone();
    let now = state.now();
    let token = body.into_inner().refresh_token;
    let r = state
        .db
        .clone()
        .run(move |_| sessions::refresh(&state.ctx(), &token, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(RefreshResponse {
        token_type: "Bearer",
        access_token: r.access_token,
        refresh_token: r.refresh_token,
        expires_in: r.expires_in,
    }))
}

/// Revoke the session this access token belongs to.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "Auth", operation_id = "logout",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "Token revoked.", body = MessageView), (status = 401, body = ApiError))
)]
pub async fn logout(
    state: aw::Data<AppState>,
    user: ApiUser,
    meta: Meta,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let (uid, sid) = (user.0.user_id, user.0.session_id);
    state
        .db
        .run(move |db| sessions::revoke(db, uid, sid, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Token revoked.")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub data: Vec<TokenView>,
}

/// The user's live sessions, browser and API.
#[utoipa::path(
    get, path = "/api/v1/auth/tokens", tag = "Auth", operation_id = "listTokens",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "Token list", body = TokenList), (status = 401, body = ApiError))
)]
pub async fn tokens(state: aw::Data<AppState>, user: ApiUser) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let (uid, sid) = (user.0.user_id, user.0.session_id);
    let list = state.db.run(move |db| sessions::list(db, uid, now)).await?;
    Ok(HttpResponse::Ok().json(TokenList {
        data: list.iter().map(|s| TokenView::of(s, sid)).collect(),
    }))
}

/// Revoke one of the user's sessions by id; another user's id is a 404.
#[utoipa::path(
    delete, path = "/api/v1/auth/tokens/{token}", tag = "Auth", operation_id = "revokeToken",
    security(("bearerAuth" = [])),
    params(("token" = i64, Path, description = "Session id")),
    responses((status = 200, description = "Token revoked.", body = MessageView), (status = 404, body = ApiError))
)]
pub async fn revoke_token(
    state: aw::Data<AppState>,
    user: ApiUser,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = path.into_inner().parse().map_err(|_| AppError::NotFound)?;
    let now = state.now();
    let uid = user.0.user_id;
    state
        .db
        .run(move |db| sessions::revoke(db, uid, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Token revoked.")))
}
