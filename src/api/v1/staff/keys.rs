//! Staff resources in reference 002's style (`{"success", "data",
//! "message"}`): API keys and the audit log.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{
    extract::pagination::{PageQuery, paginate},
    extract::{ApiStaff, Meta},
    v1::views::{ApiKeyView, AuditView},
};
use crate::{
    domain::{scopes::Scope, staff::StaffRole},
    error::{ApiError, AppError},
    service::{
        accounts::api_keys::{self, NewKey},
        audit::Actor,
    },
    state::AppState,
    store::audit::{self as audit_store, AuditFilter},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    pub success: bool,
    pub data: Vec<ApiKeyView>,
}

/// API keys: an admin sees all, others their own.
#[utoipa::path(
    get, path = "/api/v1/api-keys", tag = "Staff", operation_id = "listApiKeys",
    security(("bearerAuth" = [])),
    responses((status = 200, body = ApiKeyList), (status = 401, body = ApiError), (status = 403, body = ApiError))
)]
pub async fn list_keys(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    staff.0.require(Scope::ApiKeysWrite)?;
    let who = staff.0;
    let keys = state.db.run(move |db| api_keys::list(db, &who)).await?;
    Ok(HttpResponse::Ok().json(ApiKeyList {
        success: true,
        data: keys.iter().map(ApiKeyView::from).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKeyRequest {
    pub name: String,
    /// E.g. `["clients:read", "audit:read"]`.
    pub scopes: Vec<String>,
    /// Days until the key stops working; none means it does not expire.
    pub expires_in_days: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKeyView,
    /// The whole key. It is shown only now: store it safely.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKeyResponse {
    pub success: bool,
    pub data: CreatedApiKey,
    pub message: String,
}

/// Create an API key for yourself; the key is shown once.
#[utoipa::path(
    post, path = "/api/v1/api-keys", tag = "Staff", operation_id = "createApiKey",
    security(("bearerAuth" = [])),
    request_body = NewApiKeyRequest,
    responses((status = 201, body = CreatedApiKeyResponse), (status = 403, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn create_key(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<NewApiKeyRequest>,
) -> Result<HttpResponse, AppError> {
    staff.0.require(Scope::ApiKeysWrite)?;
    let b = body.into_inner();
    let scopes = api_keys::parse_scopes(&b.scopes)?;
    // A key cannot hand out more than the key making it holds.
    if let Some(own) = &staff.0.scopes
        && !scopes.is_subset(own)
    {
        return Err(AppError::invalid(
            "scopes",
            "a key cannot create a key with scopes it does not hold",
        ));
    }
    let actor = Actor::from(&crate::auth::principal::Principal::Staff(staff.0.clone()));
    let owner = staff.0.staff_id;
    let now = state.now();
    let created = state
        .db
        .run(move |db| {
            api_keys::create(
                db,
                actor,
                owner,
                NewKey {
                    name: b.name,
                    scopes,
                    expires_in_days: b.expires_in_days,
                },
                &meta.0,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedApiKeyResponse {
        success: true,
        data: CreatedApiKey {
            key: ApiKeyView::from(&created.row),
            secret: created.key,
        },
        message: "API key created. Store the secret now: it is not shown again.".into(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuccessMessage {
    pub success: bool,
    pub message: String,
}

/// Revoke an API key (admins: any; others: their own).
#[utoipa::path(
    delete, path = "/api/v1/api-keys/{id}", tag = "Staff", operation_id = "revokeApiKey",
    security(("bearerAuth" = [])),
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError))
)]
pub async fn revoke_key(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    staff.0.require(Scope::ApiKeysWrite)?;
    let id: i64 = path.into_inner().parse().map_err(|_| AppError::NotFound)?;
    let limit_to = (staff.0.role != StaffRole::Admin).then_some(staff.0.staff_id);
    let actor = Actor::from(&crate::auth::principal::Principal::Staff(staff.0.clone()));
    let now = state.now();
    state
        .db
        .run(move |db| api_keys::revoke(db, actor, limit_to, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: "API key revoked".into(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `system`, `staff`, `user` or `api_key`.
    pub actor_type: Option<String>,
    pub actor_id: Option<i64>,
    /// An action, or a prefix ending in `.` (`auth.`).
    pub action: Option<String>,
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    pub client_id: Option<i64>,
    /// RFC 3339; rows at or after.
    pub since: Option<String>,
    /// RFC 3339; rows before.
    pub until: Option<String>,
}

fn instant(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    value
        .map(|v| {
            v.parse::<jiff::Timestamp>()
                .map(crate::domain::time::stamp)
                .map_err(|_| {
                    AppError::invalid(
                        field,
                        "must be an RFC 3339 time such as 2026-01-31T00:00:00Z",
                    )
                })
        })
        .transpose()
}

/// The audit log, newest first, filterable (needs `audit:read`).
#[utoipa::path(
    get, path = "/api/v1/audit-log", tag = "Staff", operation_id = "auditLog",
    security(("bearerAuth" = [])),
    params(AuditQuery),
    responses((status = 200, description = "Paginated audit rows", body = Vec<AuditView>), (status = 403, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn audit_log(
    req: HttpRequest,
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    staff.0.require(Scope::AuditRead)?;
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let filter = AuditFilter {
        actor_type: q.actor_type,
        actor_id: q.actor_id,
        action: q.action,
        subject_type: q.subject_type,
        subject_id: q.subject_id,
        client_id: q.client_id,
        since: instant("since", q.since)?,
        until: instant("until", q.until)?,
    };
    let rows = state
        .db
        .run(move |db| db.read(|c| Ok(audit_store::list(c, &filter, page)?)))
        .await?;
    let mut body = serde_json::to_value(paginate(
        &req,
        rows.rows.iter().map(AuditView::from).collect(),
        page,
        rows.total,
    ))
    .map_err(AppError::internal)?;
    body["success"] = serde_json::Value::Bool(true);
    Ok(HttpResponse::Ok().json(body))
}
