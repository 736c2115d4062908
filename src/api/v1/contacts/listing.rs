//! The client's contacts: the list and one contact.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiPrincipal, client_ident},
    v1::views::ContactView,
};
use crate::{
    error::{ApiError, AppError},
    service::accounts::contacts,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    pub data: Vec<ContactView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactResponse {
    pub data: ContactView,
}

/// The account's contacts (needs `misc.manageprofiles`).
#[utoipa::path(
    get, path = "/api/v1/clients/{client}/contacts", tag = "Contacts", operation_id = "listContacts",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = ContactList), (status = 403, body = ApiError), (status = 404, body = ApiError))
)]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let st = state.get_ref().clone();
    let (_, list) = st
        .db
        .clone()
        .run(move |_| contacts::list(&st.ctx(), &who.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(ContactList {
        data: list.iter().map(ContactView::from).collect(),
    }))
}

pub(super) fn contact_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// One contact.
#[utoipa::path(
    get, path = "/api/v1/clients/{client}/contacts/{id}", tag = "Contacts", operation_id = "getContact",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ContactResponse), (status = 403, body = ApiError), (status = 404, body = ApiError))
)]
pub async fn get(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let id = contact_id(&id)?;
    let st = state.get_ref().clone();
    let contact = st
        .db
        .clone()
        .run(move |_| contacts::get(&st.ctx(), &who.0, &ident, id))
        .await?;
    Ok(HttpResponse::Ok().json(ContactResponse {
        data: ContactView::from(&contact),
    }))
}
