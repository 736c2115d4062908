//! A client's zones: list, read, create for a service, delete.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::extract::{ApiPrincipal, Meta, client_ident};
use crate::api::v1::views::{
    MessageView,
    dns::{DnsZoneList, DnsZoneResponse, detail_view, zone_view},
    message,
};
use crate::{
    error::{ApiError, AppError},
    service::dns,
    state::AppState,
};

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewZoneBody {
    /// The zone's name; the service's domain when absent.
    pub name: Option<String>,
}

/// The client's DNS zones (reference 004 `GET /dns`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/dns", tag = "DNS", operation_id = "listDnsZones",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = DnsZoneList), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list_zones(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let zones = state
        .db
        .run(move |db| dns::list(db, &who.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(DnsZoneList {
        data: zones.iter().map(|z| zone_view(z, false)).collect(),
    }))
}

/// A zone for the service, with the default records: the configured
/// nameservers, and the hosting server's address at `@` and `www`
/// (reference 004 `POST /service/@id/dns`).
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/dns", tag = "DNS", operation_id = "createDnsZone",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = NewZoneBody,
    responses((status = 201, body = DnsZoneResponse), (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 422, body = ApiError), (status = 503, body = ApiError)))]
pub async fn create_zone(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: Option<aw::Json<NewZoneBody>>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let name = body.and_then(|b| b.into_inner().name);
    let ctx = state.ctx();
    let made =
        dns::create_for_service(&ctx, &who.0, &ident, &service, name, &meta.0, state.now()).await?;
    Ok(HttpResponse::Created().json(DnsZoneResponse {
        data: detail_view(&made, false),
    }))
}

/// One zone with its records (reference 004 `GET /service/@id/dns/@zone`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/dns/{zone}", tag = "DNS", operation_id = "getDnsZone",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("zone" = i64, Path, description = "Zone id")),
    responses((status = 200, body = DnsZoneResponse), (status = 404, body = ApiError)))]
pub async fn get_zone(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, zone) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let d = state
        .db
        .run(move |db| dns::get(db, &who.0, &ident, &zone))
        .await?;
    Ok(HttpResponse::Ok().json(DnsZoneResponse {
        data: detail_view(&d, false),
    }))
}

/// Delete the zone from the DNS server and from till.
#[utoipa::path(delete, path = "/api/v1/clients/{client}/dns/{zone}", tag = "DNS", operation_id = "deleteDnsZone",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("zone" = i64, Path, description = "Zone id")),
    responses((status = 200, body = MessageView), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 503, body = ApiError)))]
pub async fn delete_zone(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, zone) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    dns::delete(&state.ctx(), &who.0, &ident, &zone, &meta.0, state.now()).await?;
    Ok(HttpResponse::Ok().json(message("DNS zone deleted.")))
}
