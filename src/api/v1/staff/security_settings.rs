//! Staff security settings: whether every staff member must use
//! two-factor authentication in the admin area.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::accounts::security_settings::{self, SecuritySettings},
    state::AppState,
};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettingsView {
    /// Staff without two-factor authentication must set it up when they
    /// next open the admin area, and nobody may turn it off.
    pub require_staff_two_factor: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecuritySettingsResponse {
    pub data: SecuritySettingsView,
}

fn view(s: SecuritySettings) -> SecuritySettingsResponse {
    SecuritySettingsResponse {
        data: SecuritySettingsView {
            require_staff_two_factor: s.require_staff_two_factor,
        },
    }
}

/// The security settings (needs `system:read`).
#[utoipa::path(get, path = "/api/v1/security-settings", tag = "Staff", operation_id = "getSecuritySettings",
    security(("bearerAuth" = [])),
    responses((status = 200, body = SecuritySettingsResponse), (status = 403, body = ApiError)))]
pub async fn get_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let s = state
        .db
        .run(move |db| security_settings::get(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(view(s)))
}

/// Change the security settings (needs `security:write`, admins only).
#[utoipa::path(put, path = "/api/v1/security-settings", tag = "Staff", operation_id = "saveSecuritySettings",
    security(("bearerAuth" = [])), request_body = SecuritySettingsView,
    responses((status = 200, body = SecuritySettingsResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn save_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<SecuritySettingsView>,
) -> Result<HttpResponse, AppError> {
    let wanted = SecuritySettings {
        require_staff_two_factor: body.into_inner().require_staff_two_factor,
    };
    let now = state.now();
    let s = state
        .db
        .run(move |db| security_settings::save(db, &staff.0, wanted, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(view(s)))
}
