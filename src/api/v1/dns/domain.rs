//! Reference 000's `listDnsRecords` and `updateDnsRecords` on a domain.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiPrincipal, Meta, client_ident};
use crate::api::v1::views::{
    MessageView,
    dns::{DnsRecordBody, DnsRecordView, record_view},
    message,
};
use crate::{
    error::{ApiError, AppError},
    service::dns,
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
pub struct DomainDnsBody {
    /// Required; read as optional so that a foreign domain is a 404 before
    /// the body is judged.
    pub records: Option<Vec<DnsRecordBody>>,
}

impl DomainDnsBody {
    pub fn inputs(self) -> Option<Vec<crate::domain::dns::RecordInput>> {
        self.records
            .map(|r| r.into_iter().map(Into::into).collect())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DomainDnsView {
    pub domain: String,
    /// The zone holding the records; `null` before the first replace.
    pub zone_id: Option<i64>,
    pub records: Vec<DnsRecordView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DomainDnsResponse {
    pub data: DomainDnsView,
}

/// The domain's DNS records.
#[utoipa::path(get, path = "/api/v1/clients/{client}/domains/{domain}/dns", tag = "Domains", operation_id = "listDnsRecords",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id"),
        ("X-Client-Id" = Option<i64>, Header, description = "Optional client context; must match the path")),
    responses((status = 200, body = DomainDnsResponse), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn list_domain_records(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, domain) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let d = state
        .db
        .run(move |db| dns::domain_records(db, &who.0, &ident, &domain))
        .await?;
    let records = d.zone.as_ref().map_or_else(Vec::new, |z| {
        z.records
            .iter()
            .map(|r| record_view(r, &z.zone.name))
            .collect()
    });
    Ok(HttpResponse::Ok().json(DomainDnsResponse {
        data: DomainDnsView {
            domain: d.domain.name,
            zone_id: d.zone.map(|z| z.zone.id),
            records,
        },
    }))
}

/// Replace every DNS record of the domain, all or none: one bad record
/// is a 422 naming it (`records.3.value`) and nothing changes.
#[utoipa::path(put, path = "/api/v1/clients/{client}/domains/{domain}/dns", tag = "Domains", operation_id = "updateDnsRecords",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id"),
        ("X-Client-Id" = Option<i64>, Header, description = "Optional client context; must match the path")),
    request_body = DomainDnsBody,
    responses((status = 200, body = MessageView, description = "DNS records updated successfully."),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError), (status = 503, body = ApiError)))]
pub async fn replace_domain_records(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<DomainDnsBody>,
) -> Result<HttpResponse, AppError> {
    let (client, domain) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let records = body.into_inner().inputs();
    let ctx = state.ctx();
    dns::replace_domain_records(&ctx, &who.0, &ident, &domain, records, &meta.0, state.now())
        .await?;
    Ok(HttpResponse::Ok().json(message("DNS records updated successfully.")))
}
