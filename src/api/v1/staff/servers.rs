//! Staff servers and server groups (reference 002 `/servers`). Secrets go
//! in and never come out: views say `has_secret`.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::services::servers::{self, ServerInput},
    state::AppState,
    store::servers::{Server, ServerGroup},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct ServerView {
    pub id: i64,
    pub uuid: String,
    pub group_id: Option<i64>,
    pub name: String,
    pub hostname: String,
    pub address: String,
    /// manual, webhook or cpanel.
    pub module: String,
    pub scheme: String,
    pub port: Option<i64>,
    pub username: String,
    /// Whether an API token or password is stored (it is never shown).
    pub has_secret: bool,
    /// Most accounts it takes.
    pub capacity: i64,
    /// Live services on it.
    pub accounts: i64,
    pub active: bool,
    pub nameservers: Vec<String>,
}

impl From<&Server> for ServerView {
    fn from(s: &Server) -> Self {
        ServerView {
            id: s.id,
            uuid: s.uuid.clone(),
            group_id: s.group_id,
            name: s.name.clone(),
            hostname: s.hostname.clone(),
            address: s.address.clone(),
            module: s.module.clone(),
            scheme: s.scheme.clone(),
            port: s.port,
            username: s.username.clone(),
            has_secret: s.secret.is_some(),
            capacity: s.capacity,
            accounts: s.accounts,
            active: s.active,
            nameservers: serde_json::from_str(&s.nameservers).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServerResponse {
    pub success: bool,
    pub data: ServerView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServerList {
    pub success: bool,
    pub data: Vec<ServerView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerRequest {
    pub group_id: Option<i64>,
    pub name: String,
    pub hostname: String,
    /// IP address (or host) to connect to; the hostname when empty. For the
    /// webhook module, the URL tested by `POST /servers/{server}/test`.
    #[serde(default)]
    pub address: String,
    pub module: String,
    /// https (default) or http.
    pub scheme: Option<String>,
    /// The panel's port (WHM: 2087 when left out).
    pub port: Option<i64>,
    #[serde(default)]
    pub username: String,
    /// API token or password; write-only; leave out to keep the stored one.
    pub secret: Option<String>,
    #[serde(default)]
    pub capacity: i64,
    pub active: Option<bool>,
    #[serde(default)]
    pub nameservers: Vec<String>,
}

impl From<ServerRequest> for ServerInput {
    fn from(r: ServerRequest) -> Self {
        ServerInput {
            group_id: r.group_id,
            name: r.name,
            hostname: r.hostname,
            address: r.address,
            module: r.module,
            scheme: r.scheme.unwrap_or_else(|| "https".into()),
            port: r.port,
            username: r.username,
            secret: r.secret,
            capacity: r.capacity,
            active: r.active.unwrap_or(true),
            nameservers: r.nameservers,
        }
    }
}

/// Every server (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/servers", tag = "Staff provisioning", operation_id = "listServers",
    security(("bearerAuth" = [])),
    responses((status = 200, body = ServerList), (status = 403, body = ApiError)))]
pub async fn list(state: aw::Data<AppState>, staff: ApiStaff) -> Result<HttpResponse, AppError> {
    let list = state.db.run(move |db| servers::list(db, &staff.0)).await?;
    Ok(HttpResponse::Ok().json(ServerList {
        success: true,
        data: list.iter().map(ServerView::from).collect(),
    }))
}

/// Add a server (needs `servers:write`).
#[utoipa::path(post, path = "/api/v1/servers", tag = "Staff provisioning", operation_id = "createServer",
    security(("bearerAuth" = [])), request_body = ServerRequest,
    responses((status = 201, body = ServerResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<ServerRequest>,
) -> Result<HttpResponse, AppError> {
    let input = ServerInput::from(body.into_inner());
    let (now, keys) = (state.now(), state.keys.clone());
    let s = state
        .db
        .run(move |db| servers::create(db, &keys, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(ServerResponse {
        success: true,
        data: ServerView::from(&s),
    }))
}

/// One server (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/servers/{server}", tag = "Staff provisioning", operation_id = "getServer",
    security(("bearerAuth" = [])), params(("server" = String, Path, description = "Server id or uuid")),
    responses((status = 200, body = ServerResponse), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let s = state
        .db
        .run(move |db| servers::get(db, &staff.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(ServerResponse {
        success: true,
        data: ServerView::from(&s),
    }))
}

/// Change a server (needs `servers:write`).
#[utoipa::path(put, path = "/api/v1/servers/{server}", tag = "Staff provisioning", operation_id = "updateServer",
    security(("bearerAuth" = [])), params(("server" = String, Path, description = "Server id or uuid")),
    request_body = ServerRequest,
    responses((status = 200, body = ServerResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ServerRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = ServerInput::from(body.into_inner());
    let (now, keys) = (state.now(), state.keys.clone());
    let s = state
        .db
        .run(move |db| servers::update(db, &keys, &staff.0, &ident, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(ServerResponse {
        success: true,
        data: ServerView::from(&s),
    }))
}

/// Retire a server: no new services are placed on it (needs `servers:write`).
#[utoipa::path(delete, path = "/api/v1/servers/{server}", tag = "Staff provisioning", operation_id = "retireServer",
    security(("bearerAuth" = [])), params(("server" = String, Path, description = "Server id or uuid")),
    responses((status = 200, body = ServerResponse), (status = 404, body = ApiError)))]
pub async fn retire(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let now = state.now();
    let s = state
        .db
        .run(move |db| servers::retire(db, &staff.0, &ident, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(ServerResponse {
        success: true,
        data: ServerView::from(&s),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestResult {
    pub success: bool,
    pub message: String,
}

/// Ask the server's module whether it can reach the server with the
/// stored credentials (needs `servers:write`).
#[utoipa::path(post, path = "/api/v1/servers/{server}/test", tag = "Staff provisioning", operation_id = "testServer",
    security(("bearerAuth" = [])), params(("server" = String, Path, description = "Server id or uuid")),
    responses((status = 200, body = TestResult), (status = 404, body = ApiError)))]
pub async fn test(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let (ok, message) = servers::test_connection(
        &state.db,
        &state.keys,
        &state.targets,
        &staff.0,
        &ident,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(TestResult {
        success: ok,
        message,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    /// least_full.
    pub fill_strategy: String,
}

impl From<&ServerGroup> for GroupView {
    fn from(g: &ServerGroup) -> Self {
        GroupView {
            id: g.id,
            name: g.name.clone(),
            fill_strategy: g.fill_strategy.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    pub success: bool,
    pub data: Vec<GroupView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupResponse {
    pub success: bool,
    pub data: GroupView,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRequest {
    pub name: String,
}

/// Server groups (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/server-groups", tag = "Staff provisioning", operation_id = "listServerGroups",
    security(("bearerAuth" = [])),
    responses((status = 200, body = GroupList), (status = 403, body = ApiError)))]
pub async fn list_groups(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let list = state
        .db
        .run(move |db| servers::groups(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(GroupList {
        success: true,
        data: list.iter().map(GroupView::from).collect(),
    }))
}

/// Add a server group; services of its products go to its least-full
/// server (needs `servers:write`).
#[utoipa::path(post, path = "/api/v1/server-groups", tag = "Staff provisioning", operation_id = "createServerGroup",
    security(("bearerAuth" = [])), request_body = GroupRequest,
    responses((status = 201, body = GroupResponse), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_group(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<GroupRequest>,
) -> Result<HttpResponse, AppError> {
    let name = body.into_inner().name;
    let now = state.now();
    let g = state
        .db
        .run(move |db| servers::create_group(db, &staff.0, &name, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(GroupResponse {
        success: true,
        data: GroupView::from(&g),
    }))
}
