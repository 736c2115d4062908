//! A client's domains, in reference 000's shapes (`Domain`): list, one
//! domain, and new nameservers.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiPrincipal, Meta, client_ident};
use crate::{
    error::{ApiError, AppError},
    service::domains::{client_domains, deletion},
    state::AppState,
    store::domains::Domain,
};

/// Reference 000 `Domain`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainView {
    pub id: i64,
    pub domain_name: String,
    /// pending, active, expired, transferred_away or cancelled.
    pub status: String,
    pub expiry_date: Option<String>,
    pub next_due_date: Option<String>,
    pub auto_renew: bool,
    pub nameservers: Vec<String>,
}

pub fn domain_view(d: &Domain) -> DomainView {
    DomainView {
        id: d.id,
        domain_name: d.name.clone(),
        status: d.status.clone(),
        expiry_date: d.expiry_date.clone(),
        next_due_date: d.next_due_date.clone(),
        auto_renew: d.auto_renew,
        nameservers: d.nameservers.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DomainList {
    pub data: Vec<DomainView>,
    pub links: serde_json::Value,
    pub meta: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DomainResponse {
    pub data: DomainView,
}

/// The client's domains (needs `domains.full`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/domains", tag = "Domains", operation_id = "listClientDomains",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = DomainList), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let rows = state
        .db
        .run(move |db| client_domains::list(db, &who.0, &ident))
        .await?;
    let total = rows.len();
    Ok(HttpResponse::Ok().json(DomainList {
        data: rows.iter().map(domain_view).collect(),
        links: serde_json::json!({}),
        meta: serde_json::json!({ "total": total }),
    }))
}

/// One domain; another client's is a 404.
#[utoipa::path(get, path = "/api/v1/clients/{client}/domains/{domain}", tag = "Domains", operation_id = "getDomain",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id")),
    responses((status = 200, body = DomainResponse), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let d = state
        .db
        .run(move |db| client_domains::get(db, &who.0, &ident, id))
        .await?;
    Ok(HttpResponse::Ok().json(DomainResponse {
        data: domain_view(&d),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameserversBody {
    /// `custom` (reference 000's example; the only kind till sets).
    pub nameserver_type: Option<String>,
    /// 2 to 13 host names.
    pub nameservers: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NameserversResponse {
    pub success: bool,
    pub message: String,
    pub data: DomainView,
}

/// Point an active domain at new nameservers; the registrar is told by a
/// task.
#[utoipa::path(put, path = "/api/v1/clients/{client}/domains/{domain}/nameservers", tag = "Domains", operation_id = "updateNameservers",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id")),
    request_body = NameserversBody,
    responses((status = 200, body = NameserversResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn nameservers(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
    body: aw::Json<NameserversBody>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let body = body.into_inner();
    if body
        .nameserver_type
        .as_deref()
        .is_some_and(|t| t != "custom")
    {
        return Err(AppError::invalid(
            "nameserver_type",
            "must be custom: give the nameservers to use",
        ));
    }
    let hosts = body.nameservers;
    let d = state
        .db
        .run(move |db| {
            client_domains::set_nameservers(db, &who.0, &ident, id, &hosts, &meta.0, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(NameserversResponse {
        success: true,
        message: "Nameservers updated".into(),
        data: domain_view(&d),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// `end_of_term` (the default): the domain lapses at its expiry;
    /// `immediate`: the registrar deletes it now (EPP and LogicBoxes; the
    /// manual registrar's is a 422), auto-renew off, nothing refunded.
    pub cancel_type: Option<String>,
    /// Why, in the customer's words (kept in the audit log).
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CancelResponse {
    pub success: bool,
    pub message: String,
    pub data: DomainView,
}

/// Stop the domain at its expiry (auto-renew turns off and it is not
/// invoiced again; the paid term is kept), or delete it at the registry
/// now.
#[utoipa::path(post, path = "/api/v1/clients/{client}/domains/{domain}/cancel", tag = "Domains", operation_id = "cancelDomain",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("domain" = i64, Path, description = "Domain id")),
    request_body = CancelBody,
    responses((status = 200, body = CancelResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn cancel(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
    body: Option<aw::Json<CancelBody>>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let body = body.map(aw::Json::into_inner).unwrap_or_default();
    let now = state.now();
    let immediate = match body.cancel_type.as_deref() {
        None | Some("end_of_term") => false,
        Some("immediate") => true,
        Some(_) => {
            return Err(AppError::invalid(
                "cancel_type",
                "must be end_of_term (the domain lapses at its expiry) or immediate (deleted now, where its registrar can)",
            ));
        }
    };
    if immediate {
        let (d, _task) = state
            .db
            .run(move |db| {
                deletion::request(db, &who.0, &ident, id, body.reason.as_deref(), &meta.0, now)
            })
            .await?;
        return Ok(HttpResponse::Ok().json(CancelResponse {
            success: true,
            message: format!(
                "{} is being deleted at the registry; nothing is refunded",
                d.name
            ),
            data: domain_view(&d),
        }));
    }
    let d = state
        .db
        .run(move |db| {
            client_domains::cancel(db, &who.0, &ident, id, body.reason.as_deref(), &meta.0, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CancelResponse {
        success: true,
        message: format!("{} will not be renewed and ends at its expiry", d.name),
        data: domain_view(&d),
    }))
}
