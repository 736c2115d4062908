//! Staff registrars and the TLD → registrar mapping. Settings go in and
//! never come out: a view names the module, not its credentials.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::domains::registrars::{self, RegistrarInput},
    state::AppState,
    store::registrars::Registrar,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrarView {
    pub id: i64,
    pub name: String,
    /// manual, epp or logicboxes.
    pub module: String,
    pub rate_per_second: i64,
    pub enabled: bool,
    pub created_at: String,
}

impl From<&Registrar> for RegistrarView {
    fn from(r: &Registrar) -> Self {
        RegistrarView {
            id: r.id,
            name: r.name.clone(),
            module: r.module.clone(),
            rate_per_second: r.rate_per_second,
            enabled: r.enabled,
            created_at: r.created_at.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrarResponse {
    pub success: bool,
    pub data: RegistrarView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrarList {
    pub success: bool,
    pub data: Vec<RegistrarView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrarRequest {
    pub name: String,
    /// manual, epp or logicboxes.
    pub module: String,
    /// The module's settings (EPP: host, port, username, password, ca_pem;
    /// LogicBoxes: base_url, auth_userid, api_key); write-only; leave out
    /// on a change to keep the stored ones.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<serde_json::Value>,
    pub rate_per_second: Option<i64>,
    pub enabled: Option<bool>,
}

impl From<RegistrarRequest> for RegistrarInput {
    fn from(r: RegistrarRequest) -> Self {
        RegistrarInput {
            name: r.name,
            module: r.module,
            settings: r.settings,
            rate_per_second: r.rate_per_second.unwrap_or(5),
            enabled: r.enabled.unwrap_or(true),
        }
    }
}

/// Every registrar (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/registrars", tag = "Staff domains", operation_id = "listRegistrars",
    security(("bearerAuth" = [])),
    responses((status = 200, body = RegistrarList), (status = 403, body = ApiError)))]
pub async fn list(state: aw::Data<AppState>, staff: ApiStaff) -> Result<HttpResponse, AppError> {
    let list = state
        .db
        .run(move |db| registrars::list(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(RegistrarList {
        success: true,
        data: list.iter().map(RegistrarView::from).collect(),
    }))
}

/// Add a registrar (needs `servers:write`); its settings are checked and
/// sealed.
#[utoipa::path(post, path = "/api/v1/registrars", tag = "Staff domains", operation_id = "createRegistrar",
    security(("bearerAuth" = [])), request_body = RegistrarRequest,
    responses((status = 201, body = RegistrarResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<RegistrarRequest>,
) -> Result<HttpResponse, AppError> {
    let input = RegistrarInput::from(body.into_inner());
    let (keys, targets, now) = (state.keys.clone(), state.targets.clone(), state.now());
    let r = state
        .db
        .run(move |db| registrars::create(db, &keys, &targets, &staff.0, &input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(RegistrarResponse {
        success: true,
        data: RegistrarView::from(&r),
    }))
}

/// Change a registrar (needs `servers:write`).
#[utoipa::path(put, path = "/api/v1/registrars/{registrar}", tag = "Staff domains", operation_id = "updateRegistrar",
    security(("bearerAuth" = [])), params(("registrar" = i64, Path, description = "Registrar id")),
    request_body = RegistrarRequest,
    responses((status = 200, body = RegistrarResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<RegistrarRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let input = RegistrarInput::from(body.into_inner());
    let (keys, targets, now) = (state.keys.clone(), state.targets.clone(), state.now());
    let r = state
        .db
        .run(move |db| registrars::update(db, &keys, &targets, &staff.0, id, &input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(RegistrarResponse {
        success: true,
        data: RegistrarView::from(&r),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TldRegistrar {
    pub tld: String,
    /// `null`: the manual registrar (a staff to-do).
    pub registrar_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TldRegistrarList {
    pub success: bool,
    pub data: Vec<TldRegistrar>,
}

/// Which registrar each TLD's new domains go to.
#[utoipa::path(get, path = "/api/v1/tld-registrars", tag = "Staff domains", operation_id = "listTldRegistrars",
    security(("bearerAuth" = [])),
    responses((status = 200, body = TldRegistrarList), (status = 403, body = ApiError)))]
pub async fn mapping(state: aw::Data<AppState>, staff: ApiStaff) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .run(move |db| registrars::mapping(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(TldRegistrarList {
        success: true,
        data: rows
            .into_iter()
            .map(|(tld, registrar_id)| TldRegistrar { tld, registrar_id })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MapTldBody {
    /// `null` for the manual registrar.
    pub registrar_id: Option<i64>,
}

/// Send a TLD's new domains to a registrar (needs `servers:write`).
#[utoipa::path(put, path = "/api/v1/tld-registrars/{tld}", tag = "Staff domains", operation_id = "mapTldRegistrar",
    security(("bearerAuth" = [])), params(("tld" = String, Path, description = "e.g. com or .com")),
    request_body = MapTldBody,
    responses((status = 200, body = TldRegistrarList), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn map_tld(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<MapTldBody>,
) -> Result<HttpResponse, AppError> {
    let tld = path.into_inner();
    let registrar = body.into_inner().registrar_id;
    let now = state.now();
    let rows = state
        .db
        .run(move |db| {
            registrars::map_tld(db, &staff.0, &tld, registrar, &meta.0, now)?;
            registrars::mapping(db, &staff.0)
        })
        .await?;
    Ok(HttpResponse::Ok().json(TldRegistrarList {
        success: true,
        data: rows
            .into_iter()
            .map(|(tld, registrar_id)| TldRegistrar { tld, registrar_id })
            .collect(),
    }))
}
