//! Changing a contact's privileges, and removing a contact.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiPrincipal, Meta, client_ident},
    v1::views::{ContactView, MessageView, message},
};
use crate::{
    error::{ApiError, AppError},
    service::accounts::contacts::{self, ContactChange},
    state::AppState,
};

use super::listing::{ContactResponse, contact_id};
use super::privileges::parse_privileges;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactChangeRequest {
    #[serde(alias = "firstname")]
    pub first_name: Option<String>,
    #[serde(alias = "lastname")]
    pub last_name: Option<String>,
    #[schema(value_type = Object)]
    pub privileges: Option<serde_json::Value>,
}

/// Change a contact's privileges (and, for a person of no other account,
/// their name). A contact may change only contacts whose privileges it
/// holds all of.
#[utoipa::path(
    patch, path = "/api/v1/clients/{client}/contacts/{id}", tag = "Contacts", operation_id = "updateContact",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("id" = i64, Path, description = "Contact id")),
    request_body = ContactChangeRequest,
    responses((status = 200, body = ContactResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn update(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<ContactChangeRequest>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let id = contact_id(&id)?;
    let b = body.into_inner();
    let change = ContactChange {
        first_name: b.first_name,
        last_name: b.last_name,
        privileges: parse_privileges(b.privileges)?,
    };
    let st = state.get_ref().clone();
    let now = st.now();
    let contact = st
        .db
        .clone()
        .run(move |_| contacts::update(&st.ctx(), &who.0, &ident, id, change, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(ContactResponse {
        data: ContactView::from(&contact),
    }))
}

/// Remove a contact.
#[utoipa::path(
    delete, path = "/api/v1/clients/{client}/contacts/{id}", tag = "Contacts", operation_id = "deleteContact",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = MessageView), (status = 403, body = ApiError), (status = 404, body = ApiError))
)]
pub async fn delete(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let id = contact_id(&id)?;
    let st = state.get_ref().clone();
    let now = st.now();
    st.db
        .clone()
        .run(move |_| contacts::delete(&st.ctx(), &who.0, &ident, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Contact removed.")))
}
