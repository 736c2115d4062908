//! A client's domain actions beyond reference 000, in its style: the
//! transfer lock and ID protection (accepted, 202, and carried out by a
//! registrar task; the domain shows the change once the registrar made
//! it) and the auth code, asked of the registrar there and then.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiPrincipal, Meta, client_ident};
use crate::api::v1::client_domains::{DomainView, domain_view};
use crate::{
    error::{ApiError, AppError},
    service::domains::{
        domain_actions::{self, Queued, Who},
        epp_codes,
    },
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockBody {
    /// true: no transfer away; false: the domain may be transferred.
    pub locked: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdProtectionBody {
    pub enabled: bool,
}

/// The registrar task that carries an accepted change.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedTaskView {
    pub id: i64,
    /// lock or id_protection.
    pub action: String,
    /// queued, running, done, failed or cancelled.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DomainChangeResponse {
    pub success: bool,
    pub message: String,
    /// The domain as it is now; `locked` and `id_protection` change when
    /// the registrar has made the change.
    pub data: DomainView,
    pub task: QueuedTaskView,
}

pub fn accepted(q: &Queued, message: String) -> HttpResponse {
    HttpResponse::Accepted().json(DomainChangeResponse {
        success: true,
        message,
        data: domain_view(&q.domain),
        task: QueuedTaskView {
            id: q.task.id,
            action: q.task.action.clone(),
            status: q.task.status.to_string(),
        },
    })
}

pub fn lock_message(locked: bool) -> String {
    if locked {
        "The domain will be locked against transfers; the registrar is told shortly".into()
    } else {
        "The domain will be unlocked; the registrar is told shortly".into()
    }
}

pub fn id_protection_message(on: bool) -> String {
    let what = if on { "on" } else { "off" };
    format!("ID protection will be turned {what}; the registrar is told shortly")
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EppCodeView {
    pub epp_code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EppCodeResponse {
    pub data: EppCodeView,
}

/// Lock or unlock an active domain against transfers.
#[utoipa::path(put, path = "/api/v1/clients/{client}/domains/{domain}/lock", tag = "Domains", operation_id = "setDomainLock",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id")),
    request_body = LockBody,
    responses((status = 202, body = DomainChangeResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError)))]
pub async fn lock(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
    body: aw::Json<LockBody>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let (locked, now) = (body.locked, state.now());
    let q = state
        .db
        .run(move |db| {
            let who = Who::Client(&who.0, &ident);
            domain_actions::set_lock(db, who, id, locked, &meta.0, now)
        })
        .await?;
    Ok(accepted(&q, lock_message(locked)))
}

/// Turn ID protection (WHOIS privacy) on or off, where the TLD offers it.
#[utoipa::path(put, path = "/api/v1/clients/{client}/domains/{domain}/id-protection", tag = "Domains", operation_id = "setDomainIdProtection",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id")),
    request_body = IdProtectionBody,
    responses((status = 202, body = DomainChangeResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError)))]
pub async fn id_protection(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
    body: aw::Json<IdProtectionBody>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let (on, now) = (body.enabled, state.now());
    let q = state
        .db
        .run(move |db| {
            let who = Who::Client(&who.0, &ident);
            domain_actions::set_id_protection(db, who, id, on, &meta.0, now)
        })
        .await?;
    Ok(accepted(&q, id_protection_message(on)))
}

/// The domain's auth code, asked of its registrar now (the account's
/// owner only; never stored). A registrar that is down is a 503.
#[utoipa::path(post, path = "/api/v1/clients/{client}/domains/{domain}/epp-code", tag = "Domains", operation_id = "getDomainEppCode",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id")),
    responses((status = 200, body = EppCodeResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError), (status = 503, body = ApiError)))]
pub async fn epp_code(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let code =
        epp_codes::reveal(&state.registry(), &who.0, &ident, id, &meta.0, state.now()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(EppCodeResponse {
            data: EppCodeView {
                epp_code: code.expose().to_string(),
            },
        }))
}
