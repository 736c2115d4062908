//! `POST /domains/check` and `POST /domains/bulk-check`: public, limited
//! per client address, priced in the caller's currency (a token and
//! `X-Client-Id` for a client's, else the user's account, else the shop's
//! default).

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    api::{
        extract::{Meta, client_header},
        v1::{
            orders::{maybe_principal, parse_json},
            views::domains::{
                BulkDomainAvailabilityResponse, DomainAvailabilityResponse, availability_view,
            },
        },
    },
    error::{ApiError, AppError},
    service::domains::{self, Caller},
    state::AppState,
};

/// Reference 000's body: `{"domain": "example.com.gh"}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckBody {
    /// In Unicode or punycode.
    #[schema(example = "example.com.gh")]
    #[serde(default)]
    pub domain: String,
}

/// Reference 000's body: `{"domains": ["example.com", "example.com.gh"]}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkCheckBody {
    /// 1 to 20 names.
    #[serde(default)]
    pub domains: Vec<String>,
}

async fn caller(req: &HttpRequest, meta: Meta) -> Result<Caller, AppError> {
    Ok(Caller {
        principal: maybe_principal(req).await?,
        client: client_header(req),
        ip: meta.0.ip,
    })
}

/// Public domain availability lookup. GH-family domains (and any TLD with
/// no lookup source) may return provisional/manual registration states.
#[utoipa::path(post, path = "/api/v1/domains/check", tag = "Domains", operation_id = "checkDomain",
    security((), ("bearerAuth" = [])),
    params(("X-Client-Id" = Option<String>, Header, description = "Price in this client's currency")),
    request_body = CheckBody,
    responses((status = 200, body = DomainAvailabilityResponse),
              (status = 422, description = "Invalid domain request", body = ApiError),
              (status = 429, description = "Rate limit exceeded", body = ApiError)))]
pub async fn check(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Bytes,
) -> Result<HttpResponse, AppError> {
    let parsed: CheckBody = parse_json(&req, &body)?;
    let caller = caller(&req, meta).await?;
    let now = state.now();
    let answer = domains::check(
        &state.db,
        &state.domains,
        &state.limiter,
        caller,
        &parsed.domain,
        now,
    )
    .await?;
    Ok(HttpResponse::Ok().json(DomainAvailabilityResponse {
        success: true,
        data: availability_view(&answer),
    }))
}

/// Check up to 20 names at once, in the order given (each once).
#[utoipa::path(post, path = "/api/v1/domains/bulk-check", tag = "Domains", operation_id = "bulkCheckDomains",
    security((), ("bearerAuth" = [])),
    params(("X-Client-Id" = Option<String>, Header, description = "Price in this client's currency")),
    request_body = BulkCheckBody,
    responses((status = 200, body = BulkDomainAvailabilityResponse),
              (status = 422, description = "Invalid domain list", body = ApiError),
              (status = 429, description = "Rate limit exceeded", body = ApiError)))]
pub async fn bulk_check(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Bytes,
) -> Result<HttpResponse, AppError> {
    let parsed: BulkCheckBody = parse_json(&req, &body)?;
    let caller = caller(&req, meta).await?;
    let now = state.now();
    let answers = domains::bulk_check(
        &state.db,
        &state.domains,
        &state.limiter,
        caller,
        &parsed.domains,
        now,
    )
    .await?;
    Ok(HttpResponse::Ok().json(BulkDomainAvailabilityResponse {
        success: true,
        data: answers.iter().map(availability_view).collect(),
    }))
}
