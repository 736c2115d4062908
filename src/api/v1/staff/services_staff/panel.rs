//! The control panel for staff (or the customer): a login URL and a
//! password change.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::ApiPrincipal;
use crate::{
    error::{ApiError, AppError},
    service::services::module_actions,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginUrl {
    pub success: bool,
    /// A one-time single sign-on URL into the control panel.
    pub url: String,
}

/// A single sign-on URL into the service's panel (staff with
/// `services:write`, or a customer with the services privilege).
#[utoipa::path(post, path = "/api/v1/services/{service}/login-url", tag = "Staff provisioning", operation_id = "serviceLoginUrl",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = LoginUrl), (status = 404, body = ApiError), (status = 502, body = ApiError)))]
pub async fn login_url(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let url = module_actions::login_url(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &path.into_inner(),
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(LoginUrl { success: true, url }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub success: bool,
    pub message: String,
}

/// Set the service's panel password now (staff with `services:write`, or
/// a customer with the services privilege). till does not keep it.
#[utoipa::path(post, path = "/api/v1/services/{service}/password", tag = "Staff provisioning", operation_id = "serviceChangePassword",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body = PasswordRequest,
    responses((status = 200, body = Done), (status = 404, body = ApiError), (status = 422, body = ApiError), (status = 502, body = ApiError)))]
pub async fn password(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
    body: aw::Json<PasswordRequest>,
) -> Result<HttpResponse, AppError> {
    module_actions::change_password(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &path.into_inner(),
        &body.into_inner().password,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Done {
        success: true,
        message: "Password changed".into(),
    }))
}
