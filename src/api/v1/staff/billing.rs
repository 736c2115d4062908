//! Staff billing (reference 002): recording a payment on an invoice,
//! cancelling an unpaid one, and every payment.

use crate::api::v1::views::invoices::*;
use crate::api::{
    extract::money,
    extract::pagination::{PageQuery, paginate},
    extract::{ApiStaff, Meta},
};
use crate::{
    domain::money_input::MoneyInput,
    error::{ApiError, AppError},
    service::{billing, email::Branding, payments::RecordPayment},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    /// In the invoice's currency: `29.99`, `"29.99"` or
    /// `{"amount_minor": 2999}`, read exactly.
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
    /// Or the amount in minor units.
    pub amount_minor: Option<i64>,
    /// e.g. `bank_transfer`, `manual`.
    pub gateway: String,
    /// The bank or gateway reference; recorded once per gateway.
    pub transaction_id: String,
}

/// Record a payment on an invoice (reference 002; needs `billing:write`).
/// Full payment marks it paid and activates its order; more than is owed
/// becomes account credit.
#[utoipa::path(post, path = "/api/v1/invoices/{invoice}/pay", tag = "Staff billing", operation_id = "staffPayInvoice",
    security(("bearerAuth" = [])), params(("invoice" = String, Path, description = "Invoice id, uuid or number")),
    request_body = PayRequest,
    responses((status = 200, body = PayResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn pay(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<PayRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = RecordPayment {
        amount: money::amount_of(b.amount, b.amount_minor)?,
        gateway: b.gateway,
        transaction_id: b.transaction_id,
    };
    let (invoice, payment) = record_payment(&state, staff, meta, path.into_inner(), input).await?;
    Ok(HttpResponse::Ok().json(pay_response(invoice, payment)))
}

/// Record a staff payment and answer the invoice and payment as views.
pub(crate) async fn record_payment(
    state: &AppState,
    staff: ApiStaff,
    meta: Meta,
    invoice: String,
    input: RecordPayment,
) -> Result<(InvoiceView, PaymentView), AppError> {
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let views = state
        .db
        .run(move |db| {
            let (i, p) = crate::service::payments::record_payment(
                db, &brand, &staff.0, &invoice, input, &meta.0, now,
            )?;
            let c = db.read(|c| billing::currency(c, &i.currency))?;
            Ok((invoice_view(&i, &c), payment_view(&p, &c)))
        })
        .await?;
    state.wake_mailer();
    Ok(views)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CancelQuery {
    /// Give the renewal periods the invoice billed for free (they count as
    /// paid and the service's next due date moves past them). By default
    /// they are released: the next renewal run invoices them again.
    pub waive_periods: Option<bool>,
}

/// Cancel an unpaid invoice (staff, `billing:write`). Anything already paid
/// towards it returns to the client's credit; its order and the services
/// that never started are cancelled; a plan change or addon waiting for it
/// is dropped; the renewal periods it billed are released (billed again by
/// the next run) or, with `waive_periods=true`, given free.
#[utoipa::path(post, path = "/api/v1/invoices/{invoice}/cancel", tag = "Staff billing", operation_id = "staffCancelInvoice",
    security(("bearerAuth" = [])), params(("invoice" = String, Path, description = "Invoice id, uuid or number"), CancelQuery),
    responses((status = 200, body = CancelResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn cancel(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    query: aw::Query<CancelQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let periods = if query.waive_periods.unwrap_or(false) {
        crate::service::payments::Periods::Waive
    } else {
        crate::service::payments::Periods::Release
    };
    let now = state.now();
    let brand = Branding::from_config(&state.config);
    let view = state
        .db
        .run(move |db| {
            let inv = crate::service::payments::cancel_invoice(
                db, &brand, &staff.0, &ident, periods, &meta.0, now,
            )?;
            let c = db.read(|c| billing::currency(c, &inv.currency))?;
            Ok(invoice_view(&inv, &c))
        })
        .await?;
    Ok(HttpResponse::Ok().json(CancelResponse {
        success: true,
        data: view,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PaymentQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Only this client's payments.
    pub client_id: Option<i64>,
    /// Only this gateway's, e.g. `bank_transfer`.
    pub gateway: Option<String>,
}

/// Every payment, newest first (staff, `billing:read`; reference 002).
#[utoipa::path(get, path = "/api/v1/payments", tag = "Staff billing", operation_id = "staffListPayments",
    security(("bearerAuth" = [])), params(PaymentQuery),
    responses((status = 200, description = "Paginated payments", body = Vec<PaymentView>), (status = 403, body = ApiError)))]
pub async fn all_payments(
    req: HttpRequest,
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<PaymentQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let gateway = q.gateway.map(|g| g.trim().to_lowercase());
    let (rows, currencies) = state
        .db
        .run(move |db| billing::all_payments(db, &staff.0, q.client_id, gateway.as_deref(), page))
        .await?;
    let views = rows
        .rows
        .iter()
        .map(|p| payment_view(p, &billing::currency_in(&currencies, &p.currency)))
        .collect();
    Ok(HttpResponse::Ok().json(paginate(&req, views, page, rows.total)))
}
