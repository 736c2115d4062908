//! `/api/v1/clients/{client}/vat-id/*`: ask VIES about the client's VAT id
//! again, and staff's own verification of it.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiPrincipal, Meta, client_ident},
    v1::clients::ClientResponse,
    v1::views::ClientView,
};
use crate::{
    error::{ApiError, AppError},
    service::billing::vat_ids,
    state::AppState,
};

/// Ask VIES about the VAT id now (a member who may change the profile, or
/// staff with `clients:write`); the answer is in `vat_validation`.
#[utoipa::path(
    post, path = "/api/v1/clients/{client}/vat-id/check", tag = "Account", operation_id = "checkClientVatId",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = ClientResponse), (status = 403, body = ApiError), (status = 404, body = ApiError))
)]
pub async fn check(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let access =
        vat_ids::check_now(&state.db, &state.config.vies, &who.0, &ident, state.now()).await?;
    Ok(HttpResponse::Ok().json(ClientResponse {
        data: ClientView::from(&access),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct VerifyBody {
    /// How staff made sure (kept with the validation and in the audit log).
    pub note: String,
}

/// Staff vouch for the VAT id themselves, so it is reverse charged (needs
/// `clients:write`). Changing the id or the country undoes it.
#[utoipa::path(
    post, path = "/api/v1/clients/{client}/vat-id/verify", tag = "Staff", operation_id = "verifyClientVatId",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    request_body = VerifyBody,
    responses((status = 200, body = ClientResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn verify(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<VerifyBody>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let note = body.into_inner().note;
    let now = state.now();
    let p = who.0;
    let access = state
        .db
        .run(move |db| vat_ids::verify(db, &p, &ident, &note, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(ClientResponse {
        data: ClientView::from(&access),
    }))
}
