//! Staff domain actions on any domain (`services:write`, like the other
//! staff domain routes): the transfer lock and ID protection, carried out
//! by a registrar task, and the auth code, asked of the registrar now.

use actix_web::{HttpResponse, web as aw};

use crate::api::extract::{ApiStaff, Meta};
use crate::api::v1::domain_actions::{
    DomainChangeResponse, EppCodeResponse, EppCodeView, IdProtectionBody, LockBody, accepted,
    id_protection_message, lock_message,
};
use crate::{
    error::{ApiError, AppError},
    service::domains::{
        domain_actions::{self, Who},
        epp_codes,
    },
    state::AppState,
};

/// Lock or unlock a domain against transfers.
#[utoipa::path(put, path = "/api/v1/domains/{domain}/lock", tag = "Staff domains", operation_id = "staffSetDomainLock",
    security(("bearerAuth" = [])), params(("domain" = i64, Path, description = "Domain id")),
    request_body = LockBody,
    responses((status = 202, body = DomainChangeResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError)))]
pub async fn lock(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<LockBody>,
) -> Result<HttpResponse, AppError> {
    let (id, locked, now) = (path.into_inner(), body.locked, state.now());
    let q = state
        .db
        .run(move |db| domain_actions::set_lock(db, Who::Staff(&staff.0), id, locked, &meta.0, now))
        .await?;
    Ok(accepted(&q, lock_message(locked)))
}

/// Turn ID protection on or off, where the TLD offers it.
#[utoipa::path(put, path = "/api/v1/domains/{domain}/id-protection", tag = "Staff domains", operation_id = "staffSetDomainIdProtection",
    security(("bearerAuth" = [])), params(("domain" = i64, Path, description = "Domain id")),
    request_body = IdProtectionBody,
    responses((status = 202, body = DomainChangeResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError)))]
pub async fn id_protection(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<IdProtectionBody>,
) -> Result<HttpResponse, AppError> {
    let (id, on, now) = (path.into_inner(), body.enabled, state.now());
    let q = state
        .db
        .run(move |db| {
            domain_actions::set_id_protection(db, Who::Staff(&staff.0), id, on, &meta.0, now)
        })
        .await?;
    Ok(accepted(&q, id_protection_message(on)))
}

/// The domain's auth code, asked of its registrar now (never stored).
#[utoipa::path(post, path = "/api/v1/domains/{domain}/epp-code", tag = "Staff domains", operation_id = "staffGetDomainEppCode",
    security(("bearerAuth" = [])), params(("domain" = i64, Path, description = "Domain id")),
    responses((status = 200, body = EppCodeResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError), (status = 503, body = ApiError)))]
pub async fn epp_code(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let code =
        epp_codes::staff_reveal(&state.registry(), &staff.0, id, &meta.0, state.now()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(EppCodeResponse {
            data: EppCodeView {
                epp_code: code.expose().to_string(),
            },
        }))
}
