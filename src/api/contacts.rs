//! `/api/v1/clients/{client}/contacts` and `/api/v1/contact-privileges`.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    extract::{ApiPrincipal, Meta, client_ident},
    orders::maybe_principal,
    views::{ContactView, InvitationView, MessageView, message},
};
use crate::{
    auth::principal::Principal,
    domain::privileges::{self, PrivilegeInfo, Privileges},
    error::{ApiError, AppError},
    service::{
        contacts::{self, ContactChange, NewContact},
        invitations::{self, NewLogin},
    },
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct PrivilegeCatalog {
    /// Reference 001's shape: every privilege name, by group.
    #[schema(value_type = Object)]
    pub privileges: serde_json::Map<String, serde_json::Value>,
    /// The same, one entry per privilege with its description.
    pub data: Vec<PrivilegeInfo>,
}

/// Every privilege a contact can hold, by group (reference 001).
#[utoipa::path(
    get, path = "/api/v1/contact-privileges", tag = "Contacts", operation_id = "contactPrivileges",
    security(("bearerAuth" = [])),
    responses((status = 200, body = PrivilegeCatalog), (status = 401, body = ApiError))
)]
pub async fn privilege_catalog(_who: ApiPrincipal) -> HttpResponse {
    HttpResponse::Ok().json(PrivilegeCatalog {
        privileges: Privileges::all().grouped(),
        data: privileges::catalog(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    pub data: Vec<ContactView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactResponse {
    pub data: ContactView,
}

fn parse_privileges(value: Option<serde_json::Value>) -> Result<Option<Privileges>, AppError> {
    match value {
        None => Ok(None),
        Some(v) => Privileges::from_grouped(&v).map(Some).map_err(|errors| {
            let mut map = crate::error::FieldErrors::new();
            map.insert("privileges".into(), errors);
            AppError::Validation(map)
        }),
    }
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The token from the invitation's link.
    pub token: String,
    /// Without a login yet: the password to log in with from now on.
    pub password: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedInvitation {
    pub message: String,
    /// The client account joined.
    pub client_id: i64,
}

/// Accept an invitation. With a login, send its access token (the login
/// must be the invited address); without one, choose a `password`.
#[utoipa::path(
    post, path = "/api/v1/invitations/accept", tag = "Contacts", operation_id = "acceptInvitation",
    security((), ("bearerAuth" = [])),
    request_body = AcceptInvitationRequest,
    responses((status = 200, body = AcceptedInvitation), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError))
)]
pub async fn accept_invitation(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
    body: aw::Json<AcceptInvitationRequest>,
) -> Result<HttpResponse, AppError> {
    let who = maybe_principal(&req).await?;
    let b = body.into_inner();
    let st = state.get_ref().clone();
    let now = st.now();
    let client_id = st
        .db
        .clone()
        .run(move |_| match who {
            Some(Principal::User(u)) => {
                invitations::accept_as(&st.ctx(), &b.token, u.user_id, &meta.0, now)
            }
            Some(Principal::Staff(_)) => Err(AppError::Forbidden),
            None => {
                let login = NewLogin {
                    first_name: b.first_name,
                    last_name: b.last_name,
                    password: b.password.unwrap_or_default(),
                };
                invitations::accept_with_password(&st.ctx(), &b.token, login, &meta.0, now)
                    .map(|(_, client)| client)
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(AcceptedInvitation {
        message: "Invitation accepted.".into(),
        client_id,
    }))
}

fn contact_id(raw: &str) -> Result<i64, AppError> {
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
