//! A client's invoices and payments: list and read them, pay from credit,
//! and add funds (reference 000 Invoices).

use crate::api::v1::views::invoices::*;
use crate::api::{
    extract::pagination::{PageQuery, paginate},
    extract::{ApiPrincipal, Meta, client_ident},
};
use crate::{
    domain::money_input::MoneyInput,
    error::{ApiError, AppError},
    service::{billing, email::Branding},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct InvoiceQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// unpaid, paid, cancelled or refunded.
    pub status: Option<String>,
}

/// The client's invoices, newest first (needs `billing.payinvoice`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/invoices", tag = "Invoices", operation_id = "listInvoices",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid"), InvoiceQuery),
    responses((status = 200, description = "Paginated invoices", body = Vec<InvoiceView>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn invoices(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
    q: aw::Query<InvoiceQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let (rows, currencies) = state
        .db
        .run(move |db| billing::invoices_of(db, &who.0, &ident, q.status.as_deref(), page))
        .await?;
    let views = rows
        .rows
        .iter()
        .map(|i| invoice_view(i, &billing::currency_in(&currencies, &i.currency)))
        .collect();
    Ok(HttpResponse::Ok().json(paginate(&req, views, page, rows.total)))
}

/// One invoice with its lines; another client's invoice is a 404.
#[utoipa::path(get, path = "/api/v1/clients/{client}/invoices/{invoice}", tag = "Invoices", operation_id = "getInvoice",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("invoice" = String, Path, description = "Invoice id, uuid or number")),
    responses((status = 200, body = InvoiceResponse), (status = 404, body = ApiError)))]
pub async fn invoice(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, inv) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let (i, items, c) = state
        .db
        .run(move |db| billing::invoice_of(db, &who.0, &ident, &inv))
        .await?;
    Ok(HttpResponse::Ok().json(invoice_response(&i, &items, &c)))
}

/// The client's payments (needs `billing.payinvoice`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/payments", tag = "Invoices", operation_id = "listPayments",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = PaymentList), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn payments(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let (rows, currencies) = state
        .db
        .run(move |db| billing::payments_of(db, &who.0, &ident))
        .await?;
    let data = rows
        .iter()
        .map(|p| payment_view(p, &billing::currency_in(&currencies, &p.currency)))
        .collect();
    Ok(HttpResponse::Ok().json(PaymentList { data }))
}

/// Reference 001's apply-credit body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyCreditRequest {
    /// In the invoice's currency (`1.50`, `"1.50"` or
    /// `{"amount_minor": 150}`); without it, the most that helps (the
    /// smaller of the credit and the balance due).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
}

/// Pay an invoice from the account's credit (needs `billing.payinvoice`;
/// staff keys need `billing:write`). Paying it in full activates its order.
#[utoipa::path(post, path = "/api/v1/clients/{client}/invoices/{invoice}/apply-credit", tag = "Invoices", operation_id = "applyCredit",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("invoice" = String, Path, description = "Invoice id, uuid or number")),
    request_body = ApplyCreditRequest,
    responses((status = 200, body = InvoiceResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn apply_credit(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<ApplyCreditRequest>,
) -> Result<HttpResponse, AppError> {
    let (client, inv) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let amount = body.into_inner().amount;
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let (i, items, c) = state
        .db
        .run(move |db| {
            let after = crate::service::payments::apply_credit(
                db,
                &brand,
                &who.0,
                &ident,
                &inv,
                amount.as_ref(),
                &meta.0,
                now,
            )?;
            billing::invoice_of(db, &who.0, &ident, &after.id.to_string())
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Ok().json(invoice_response(&i, &items, &c)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddFundsRequest {
    /// In the client's currency: `50`, `"50.00"` or
    /// `{"amount_minor": 5000}`. (Checked after access, so another
    /// client's id is a 404 whatever amount the body gives.)
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
}

/// An invoice that adds account credit once it is paid (reference 000
/// credit invoices; needs `billing.addfunds`).
#[utoipa::path(post, path = "/api/v1/clients/{client}/credit/invoices", tag = "Invoices", operation_id = "addFunds",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    request_body = AddFundsRequest,
    responses((status = 201, body = InvoiceResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_funds(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<AddFundsRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let amount = body.into_inner().amount;
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let (i, items, c) = state
        .db
        .run(move |db| {
            let inv = billing::add_funds_invoice(
                db,
                &brand,
                &who.0,
                &ident,
                amount.as_ref(),
                &meta.0,
                now,
            )?;
            billing::invoice_of(db, &who.0, &ident, &inv.id.to_string())
        })
        .await?;
    Ok(HttpResponse::Created().json(invoice_response(&i, &items, &c)))
}
