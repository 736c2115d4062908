//! Staff and DNS zones: every zone (filter by client and status, `failed`
//! ones with why), one zone with its records, and replacing a client's
//! records (`services:read` / `services:write`). Single records of a
//! client's zone are changed through the client routes with a staff key.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::v1::views::dns::{DnsZoneResponse, detail_view, zone_view};
use crate::api::{
    extract::pagination::{PageQuery, paginate},
    extract::{ApiStaff, Meta},
    v1::dns::DomainDnsBody,
};
use crate::{
    error::{ApiError, AppError},
    service::dns::{self, Edit},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ZoneFilter {
    /// Only this client's zones.
    pub client_id: Option<i64>,
    /// pending, active or failed.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Every live DNS zone, newest first (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/dns-zones", tag = "Staff provisioning", operation_id = "staffListDnsZones",
    security(("bearerAuth" = [])), params(ZoneFilter),
    responses((status = 200, description = "A page of zones"), (status = 403, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<ZoneFilter>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let (client, status) = (q.client_id, q.status);
    let (limit, offset) = (page.per_page, page.offset());
    let (rows, total) = state
        .db
        .run(move |db| dns::staff_list(db, &staff.0, client, status.as_deref(), limit, offset))
        .await?;
    let data = rows.iter().map(|z| zone_view(z, true)).collect();
    Ok(HttpResponse::Ok().json(paginate(&req, data, page, total)))
}

/// One zone with its records (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/dns-zones/{zone}", tag = "Staff provisioning", operation_id = "staffGetDnsZone",
    security(("bearerAuth" = [])), params(("zone" = i64, Path, description = "Zone id")),
    responses((status = 200, body = DnsZoneResponse), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let zone = path.into_inner();
    let d = state
        .db
        .run(move |db| dns::staff_get(db, &staff.0, zone))
        .await?;
    Ok(HttpResponse::Ok().json(DnsZoneResponse {
        data: detail_view(&d, true),
    }))
}

/// Replace every record of a client's zone, all or none (needs `clients:read` and
/// `services:write`, as the client routes do for a staff key).
#[utoipa::path(put, path = "/api/v1/dns-zones/{zone}/records", tag = "Staff provisioning", operation_id = "staffReplaceDnsRecords",
    security(("bearerAuth" = [])), params(("zone" = i64, Path, description = "Zone id")),
    request_body = DomainDnsBody,
    responses((status = 200, body = DnsZoneResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError), (status = 503, body = ApiError)))]
pub async fn replace(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<DomainDnsBody>,
) -> Result<HttpResponse, AppError> {
    let records = body
        .into_inner()
        .inputs()
        .ok_or_else(|| AppError::invalid("records", "is required"))?;
    let edit = Edit::ReplaceAll(records);
    let ctx = state.ctx();
    let e = dns::staff_change(
        &ctx,
        &staff.0,
        path.into_inner(),
        edit,
        &meta.0,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(DnsZoneResponse {
        data: detail_view(&e.detail, true),
    }))
}
