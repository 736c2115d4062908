//! The hosting control panel: a single sign-on link and a password change.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiPrincipal, client_ident};
use crate::{
    error::{ApiError, AppError},
    service::services::service_actions,
    state::AppState,
};

use super::notifications::AckResponse;

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginUrlResponse {
    /// A single sign-on link into the control panel; use it at once.
    pub url: String,
}

/// A single sign-on link into the hosting control panel (reference 000).
#[utoipa::path(post, path = "/api/v1/clients/{client}/hosting/{hostingAccount}/login-url", tag = "Services",
    operation_id = "hostingLoginUrl", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = LoginUrlResponse), (status = 400, description = "The module has no login URL", body = ApiError),
              (status = 404, body = ApiError), (status = 502, body = ApiError)))]
pub async fn login_url(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let principal = who.0.clone();
    let id = state
        .db
        .run(move |db| service_actions::get(db, &principal, &ident, &service))
        .await?
        .service
        .id;
    let url = crate::service::services::module_actions::login_url(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &id.to_string(),
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(LoginUrlResponse { url }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordBody {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirmation: String,
}

/// Change the hosting account's password at the panel (reference 000).
#[utoipa::path(post, path = "/api/v1/clients/{client}/hosting/{hostingAccount}/change-password", tag = "Services",
    operation_id = "hostingChangePassword", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    request_body = ChangePasswordBody,
    responses((status = 200, body = AckResponse), (status = 404, body = ApiError), (status = 422, body = ApiError),
              (status = 502, body = ApiError)))]
pub async fn change_password(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
    body: aw::Json<ChangePasswordBody>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let principal = who.0.clone();
    let id = state
        .db
        .run(move |db| service_actions::get(db, &principal, &ident, &service))
        .await?
        .service
        .id;
    if body.password != body.password_confirmation {
        return Err(AppError::invalid(
            "password_confirmation",
            "does not match the password",
        ));
    }
    crate::service::services::module_actions::change_password(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &id.to_string(),
        &body.password,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(AckResponse { success: true }))
}
