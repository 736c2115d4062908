//! Logging in (with the second factor) and the client list a login returns.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::Meta,
    v1::views::{ClientView, UserView},
};
use crate::{
    error::{ApiError, AppError},
    service::{
        access::{ClientAccess, Grant},
        accounts::sessions,
    },
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    pub device_name: Option<String>,
    /// The current TOTP code (or a recovery code) when 2FA is on.
    pub totp_code: Option<String>,
}

/// Reference 000 `LoginResponse`, plus the refresh token.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub access_token: String,
    /// Opaque; exchange at `/auth/refresh` for a new pair. Rotates on use.
    pub refresh_token: String,
    /// Seconds the access token is valid for.
    pub expires_in: i64,
    pub abilities: Vec<String>,
    pub user: UserView,
    pub clients: Vec<ClientView>,
}

pub fn client_views(
    user_id: i64,
    clients: Vec<(crate::store::clients::Client, String)>,
    db: &crate::db::Db,
) -> Result<Vec<ClientView>, AppError> {
    db.read(|c| {
        clients
            .into_iter()
            .map(|(client, role)| {
                let grant = if role == "owner" {
                    Grant::Owner
                } else {
                    let m = crate::store::memberships::find(c, user_id, client.id)?
                        .ok_or(AppError::NotFound)?;
                    Grant::Contact {
                        membership_id: m.id,
                        privileges: crate::domain::privileges::Privileges::from_json(&m.privileges),
                    }
                };
                Ok(ClientView::from(&ClientAccess { client, grant }))
            })
            .collect()
    })
}

/// Log in with email and password; with 2FA on, a first call without
/// `totp_code` answers 401 `second_factor_required` and the same call with
/// the code succeeds.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "Auth", operation_id = "login", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Tokens issued", body = LoginResponse),
        (status = 401, description = "Wrong credentials, or a second factor is required", body = ApiError),
        (status = 422, description = "Validation error", body = ApiError),
        (status = 429, description = "Too many attempts", body = ApiError),
    )
)]
pub async fn login(
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let state = state.get_ref().clone();
    let now = state.now();
    let response = state
        .db
        .clone()
        .run(move |db| {
            let login = sessions::login_api(
                &state.ctx(),
                &body.email,
                &body.password,
                body.device_name.as_deref(),
                body.totp_code.as_deref(),
                &meta.0,
                now,
            )?;
            Ok(LoginResponse {
                token_type: "Bearer",
                access_token: login.access_token,
                refresh_token: login.refresh_token,
                expires_in: login.expires_in,
                abilities: vec!["*".into()],
                user: UserView::from(&login.user),
                clients: client_views(login.user.id, login.clients, db)?,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(response))
}
