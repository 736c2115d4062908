//! Inviting a contact, and the client's pending invitations (list,
//! withdraw).

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiPrincipal, Meta, client_ident},
    v1::views::{InvitationView, MessageView, message},
};
use crate::{
    error::{ApiError, AppError},
    service::accounts::contacts::{self, NewContact},
    state::AppState,
};

use super::listing::contact_id;
use super::privileges::parse_privileges;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContactRequest {
    pub email: String,
    #[serde(alias = "firstname")]
    pub first_name: String,
    #[serde(alias = "lastname")]
    pub last_name: String,
    /// Reference 001's grouped shape, e.g. `{"billing": ["payinvoice"]}`.
    #[schema(value_type = Object)]
    pub privileges: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub data: InvitationView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationList {
    pub data: Vec<InvitationView>,
}

/// Invite a contact (needs `misc.manageprofiles`; you can grant only what
/// you hold). The person gets an email with a one-time link where they
/// set their own password, or log in if they have a login; they become a
/// contact when they accept. The answer is the same either way. At most
/// 10 invitations an hour per account.
#[utoipa::path(
    post, path = "/api/v1/clients/{client}/contacts", tag = "Contacts", operation_id = "createContact",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    request_body = NewContactRequest,
    responses((status = 201, body = InvitationResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError))
)]
pub async fn create(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<NewContactRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let b = body.into_inner();
    let input = NewContact {
        email: b.email,
        first_name: b.first_name,
        last_name: b.last_name,
        privileges: parse_privileges(b.privileges)?.unwrap_or_default(),
    };
    let st = state.get_ref().clone();
    let now = st.now();
    let invited = st
        .db
        .clone()
        .run(move |_| contacts::invite(&st.ctx(), &who.0, &ident, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        data: InvitationView::from(&invited),
    }))
}

/// The account's invitations still waiting (needs `misc.manageprofiles`).
#[utoipa::path(
    get, path = "/api/v1/clients/{client}/invitations", tag = "Contacts", operation_id = "listInvitations",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = InvitationList), (status = 403, body = ApiError), (status = 404, body = ApiError))
)]
pub async fn list_invitations(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let st = state.get_ref().clone();
    let now = st.now();
    let list = st
        .db
        .clone()
        .run(move |_| contacts::invitations(&st.ctx(), &who.0, &ident, now))
        .await?;
    Ok(HttpResponse::Ok().json(InvitationList {
        data: list.iter().map(InvitationView::from).collect(),
    }))
}

/// Withdraw a waiting invitation: its link stops working.
#[utoipa::path(
    delete, path = "/api/v1/clients/{client}/invitations/{id}", tag = "Contacts", operation_id = "withdrawInvitation",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("id" = i64, Path, description = "Invitation id")),
    responses((status = 200, body = MessageView), (status = 403, body = ApiError), (status = 404, body = ApiError))
)]
pub async fn withdraw_invitation(
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
        .run(move |_| contacts::withdraw(&st.ctx(), &who.0, &ident, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(message("Invitation withdrawn.")))
}
