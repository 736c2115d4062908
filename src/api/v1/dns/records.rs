//! One record of a zone: add, edit, delete (reference 004's record
//! resources). Each answers the record or a message.

use actix_web::{HttpRequest, HttpResponse, web as aw};

use crate::api::extract::{ApiPrincipal, Meta, client_ident};
use crate::api::v1::views::{
    MessageView,
    dns::{DnsRecordBody, DnsRecordResponse, record_view},
    message,
};
use crate::{
    error::{ApiError, AppError},
    service::dns::{self, Edit, Edited},
    state::AppState,
};

fn record_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

/// The record the change made, as the API shows it.
fn edited_record(e: &Edited) -> Result<DnsRecordResponse, AppError> {
    let r = e
        .detail
        .records
        .iter()
        .find(|r| Some(r.id) == e.record_id)
        .ok_or(AppError::NotFound)?;
    Ok(DnsRecordResponse {
        data: record_view(r, &e.detail.zone.name),
    })
}

/// Add a record; the whole zone is checked with it.
#[utoipa::path(post, path = "/api/v1/clients/{client}/dns/{zone}/records", tag = "DNS", operation_id = "addDnsRecord",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("zone" = i64, Path, description = "Zone id")),
    request_body = DnsRecordBody,
    responses((status = 201, body = DnsRecordResponse), (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 422, body = ApiError), (status = 503, body = ApiError)))]
pub async fn add_record(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<DnsRecordBody>,
) -> Result<HttpResponse, AppError> {
    let (client, zone) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let edit = Edit::Add(body.into_inner().into());
    let e = dns::change(
        &state.ctx(),
        &who.0,
        &ident,
        &zone,
        edit,
        &meta.0,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(edited_record(&e)?))
}

/// Change a record.
#[utoipa::path(put, path = "/api/v1/clients/{client}/dns/{zone}/records/{record}", tag = "DNS", operation_id = "updateDnsRecord",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("zone" = i64, Path, description = "Zone id"),
        ("record" = i64, Path, description = "Record id")),
    request_body = DnsRecordBody,
    responses((status = 200, body = DnsRecordResponse), (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 422, body = ApiError), (status = 503, body = ApiError)))]
pub async fn update_record(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String, String)>,
    body: aw::Json<DnsRecordBody>,
) -> Result<HttpResponse, AppError> {
    let (client, zone, record) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let edit = Edit::Update(record_id(&record)?, body.into_inner().into());
    let e = dns::change(
        &state.ctx(),
        &who.0,
        &ident,
        &zone,
        edit,
        &meta.0,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(edited_record(&e)?))
}

/// Delete a record.
#[utoipa::path(delete, path = "/api/v1/clients/{client}/dns/{zone}/records/{record}", tag = "DNS", operation_id = "deleteDnsRecord",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("zone" = i64, Path, description = "Zone id"),
        ("record" = i64, Path, description = "Record id")),
    responses((status = 200, body = MessageView), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 503, body = ApiError)))]
pub async fn delete_record(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, zone, record) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let edit = Edit::Remove(record_id(&record)?);
    dns::change(
        &state.ctx(),
        &who.0,
        &ident,
        &zone,
        edit,
        &meta.0,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(message("DNS record deleted.")))
}
