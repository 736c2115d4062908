//! Staff billing automation settings: renewal invoice dates, reminders,
//! late fee, suspension, termination and stale orders.

use actix_web::{HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::automation::{self, AutomationSettings},
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct AutomationSettingsResponse {
    pub data: AutomationSettings,
}

/// The billing automation settings (needs `billing:read`).
#[utoipa::path(get, path = "/api/v1/automation-settings", tag = "Staff billing", operation_id = "getAutomationSettings",
    security(("bearerAuth" = [])),
    responses((status = 200, body = AutomationSettingsResponse), (status = 403, body = ApiError)))]
pub async fn get_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let data = state
        .db
        .run(move |db| automation::settings(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(AutomationSettingsResponse { data }))
}

/// Change the billing automation settings (needs `billing:write`); fields
/// left out keep their defaults. They apply from the next run.
#[utoipa::path(put, path = "/api/v1/automation-settings", tag = "Staff billing", operation_id = "saveAutomationSettings",
    security(("bearerAuth" = [])), request_body = AutomationSettings,
    responses((status = 200, body = AutomationSettingsResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn save_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<AutomationSettings>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner();
    let now = state.now();
    let data = state
        .db
        .run(move |db| automation::save(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(AutomationSettingsResponse { data }))
}
