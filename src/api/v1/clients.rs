//! `/api/v1/me` and `/api/v1/clients/*`: the user, their client accounts,
//! profile, overview, dashboard and events. Staff keys see every client.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{
    extract::pagination::{PageQuery, paginate},
    extract::{ApiPrincipal, ApiUser, Meta, client_ident},
    v1::auth::client_views,
    v1::views::{ClientEventView, ClientView, UserView},
};
use crate::{
    auth::principal::Principal,
    domain::money::Money,
    error::{ApiError, AppError},
    service::{
        accounts::clients::{self, ProfileChange},
        billing::vat_ids,
    },
    state::AppState,
    store::PageRequest,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct MeToken {
    pub id: i64,
    pub kind: String,
}

/// Reference 000 `MeResponse`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    pub clients: Vec<ClientView>,
    pub token: MeToken,
}

/// The authenticated user and the client accounts they can use.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "Account", operation_id = "me",
    security(("bearerAuth" = [])),
    responses((status = 200, body = MeResponse), (status = 401, body = ApiError))
)]
pub async fn me(state: aw::Data<AppState>, user: ApiUser) -> Result<HttpResponse, AppError> {
    let u = user.0;
    let response = state
        .db
        .run(move |db| {
            let (user, clients) = clients::me(db, u.user_id)?;
            Ok(MeResponse {
                clients: client_views(user.id, clients, db)?,
                user: UserView::from(&user),
                token: MeToken {
                    id: u.session_id,
                    kind: u.session_kind.as_str().into(),
                },
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(response))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClientListQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Staff only: matches email, names and company.
    pub search: Option<String>,
    /// Staff only: `active`, `inactive` or `closed`.
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientList {
    pub data: Vec<ClientView>,
}

/// The client accounts the caller may see: a customer's own, or (with a
/// staff key) all of them, paginated.
#[utoipa::path(
    get, path = "/api/v1/clients", tag = "Account", operation_id = "listClients",
    security(("bearerAuth" = [])),
    params(ClientListQuery),
    responses((status = 200, body = ClientList), (status = 401, body = ApiError), (status = 403, body = ApiError))
)]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    q: aw::Query<ClientListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let principal = who.0;
    let is_staff = matches!(principal, Principal::Staff(_));
    let result = state
        .db
        .run(move |db| {
            clients::list(
                db,
                &principal,
                q.search.as_deref(),
                q.status.as_deref(),
                page,
            )
        })
        .await?;
    let views: Vec<ClientView> = result.rows.iter().map(ClientView::from).collect();
    if is_staff {
        return Ok(HttpResponse::Ok().json(paginate(&req, views, page, result.total)));
    }
    Ok(HttpResponse::Ok().json(ClientList { data: views }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientResponse {
    pub data: ClientView,
}

/// One client account.
#[utoipa::path(
    get, path = "/api/v1/clients/{client}", tag = "Account", operation_id = "getClient",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("X-Client-Id" = Option<String>, Header, description = "Must match the path when given")),
    responses((status = 200, body = ClientResponse), (status = 404, body = ApiError))
)]
pub async fn get(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let p = who.0;
    let access = state.db.run(move |db| clients::get(db, &p, &ident)).await?;
    Ok(HttpResponse::Ok().json(ClientResponse {
        data: ClientView::from(&access),
    }))
}

/// Profile fields; any left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// `person` or `company` (`private` is accepted for person).
    #[serde(alias = "type")]
    pub kind: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub vat_id: Option<String>,
}

/// Update the client's profile (needs `misc.editmain`).
#[utoipa::path(
    patch, path = "/api/v1/clients/{client}/profile", tag = "Account", operation_id = "updateClientProfile",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    request_body = ProfileRequest,
    responses((status = 200, body = ClientResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError))
)]
pub async fn update_profile(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ProfileRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let b = body.into_inner();
    let change = ProfileChange {
        kind: b.kind,
        first_name: b.first_name,
        last_name: b.last_name,
        company_name: b.company_name,
        company_number: b.company_number,
        email: b.email,
        phone: b.phone,
        address1: b.address1,
        address2: b.address2,
        city: b.city,
        state: b.state,
        postcode: b.postcode,
        country: b.country,
        vat_id: b.vat_id,
    };
    // Saved, then (a new VAT id) VIES is asked, outside the save's
    // transaction.
    let access = vat_ids::update_profile(
        &state.db,
        &state.config.vies,
        &who.0,
        &ident,
        change,
        &meta.0,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ClientResponse {
        data: ClientView::from(&access),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    pub client_id: i64,
    pub contacts: i64,
    /// Present only with the `billing.balance` privilege.
    pub credit_balance: Option<Money>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewResponse {
    pub data: Overview,
}

fn overview_view(access: &crate::service::access::ClientAccess, o: &clients::Overview) -> Overview {
    Overview {
        client_id: access.client.id,
        contacts: o.contacts,
        credit_balance: o
            .credit_balance
            .map(|b| Money::new(b, &access.client.currency_code)),
    }
}

/// Counts of what the account holds, limited to what the caller may see.
#[utoipa::path(
    get, path = "/api/v1/clients/{client}/overview", tag = "Account", operation_id = "clientOverview",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = OverviewResponse), (status = 404, body = ApiError))
)]
pub async fn overview(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let p = who.0;
    let (access, o) = state
        .db
        .run(move |db| clients::overview(db, &p, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(OverviewResponse {
        data: overview_view(&access, &o),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub client: ClientView,
    pub overview: Overview,
    /// The latest events, with the `misc.emails` privilege.
    pub recent_events: Vec<ClientEventView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardResponse {
    pub data: Dashboard,
}

/// The account, its overview and its latest events.
#[utoipa::path(
    get, path = "/api/v1/clients/{client}/dashboard", tag = "Account", operation_id = "clientDashboard",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = DashboardResponse), (status = 404, body = ApiError))
)]
pub async fn dashboard(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let p = who.0;
    let (access, o, recent) = state
        .db
        .run(move |db| clients::dashboard(db, &p, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(DashboardResponse {
        data: Dashboard {
            overview: overview_view(&access, &o),
            client: ClientView::from(&access),
            recent_events: recent.iter().map(ClientEventView::from).collect(),
        },
    }))
}

/// The account's event feed, newest first (needs `misc.emails`): per kind
/// of event only the fields a customer may see; staff read the full trail
/// at `/api/v1/audit-log`.
#[utoipa::path(
    get, path = "/api/v1/clients/{client}/events", tag = "Account", operation_id = "clientEvents",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), PageQuery),
    responses((status = 200, description = "Paginated events", body = Vec<ClientEventView>), (status = 403, body = ApiError), (status = 404, body = ApiError))
)]
pub async fn events(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
    q: aw::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let page: PageRequest = q.request()?;
    let p = who.0;
    let (_, rows) = state
        .db
        .run(move |db| clients::events(db, &p, &ident, page))
        .await?;
    let views = rows.rows.iter().map(ClientEventView::from).collect();
    Ok(HttpResponse::Ok().json(paginate(&req, views, page, rows.total)))
}
