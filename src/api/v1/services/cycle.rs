//! A service's billing cycle: the cycles it may move to, and the move.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiPrincipal, Meta, client_ident},
    v1::views::invoices::{InvoiceView, invoice_view},
};
use crate::{
    domain::money::Money,
    error::{ApiError, AppError},
    service::{
        billing,
        email::Branding,
        services::cycle_changes::{self, Effective},
    },
    state::AppState,
};

use super::views::{ServiceResponse, ServiceView, service_view};

#[derive(Debug, Serialize, ToSchema)]
pub struct CycleOption {
    pub billing_cycle: String,
    pub recurring_amount: Money,
    pub current: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CycleList {
    pub data: Vec<CycleOption>,
}

/// The billing cycles the service may move to, with their renewal price.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}/cycle", tag = "Services", operation_id = "serviceCycles",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = CycleList), (status = 404, body = ApiError)))]
pub async fn cycles(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let (r, options) = state
        .db
        .run(move |db| cycle_changes::cycle_options(db, &who.0, &ident, &service))
        .await?;
    Ok(HttpResponse::Ok().json(CycleList {
        data: options
            .into_iter()
            .map(|(c, amount)| CycleOption {
                billing_cycle: c.as_str().into(),
                recurring_amount: billing::money(amount, &r.currency),
                current: c.as_str() == r.service.billing_cycle,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CycleBody {
    #[serde(default)]
    pub billing_cycle: String,
    /// `next_due_date` (the default: the paid period keeps its end) or
    /// `now` (invoiced; applied when paid, the unused part of the current
    /// period credited).
    #[serde(default)]
    pub effective: String,
}

/// A cycle change that starts now, waiting for its invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleChangeResponse {
    pub data: ServiceView,
    /// Pay it to make the change.
    pub invoice: InvoiceView,
    /// What the unused part of the current period credits if the invoice
    /// is paid today (the days left when it is paid count).
    pub unused_credit: Money,
}

/// Bill the service in another cycle: from its next due date (200), or
/// from now once the invoice it answers is paid (201).
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/cycle", tag = "Services", operation_id = "changeServiceCycle",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = CycleBody,
    responses((status = 200, body = ServiceResponse), (status = 201, body = CycleChangeResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn change_cycle(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<CycleBody>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let effective = Effective::parse(&body.effective)
        .ok_or_else(|| AppError::invalid("effective", "must be next_due_date or now"))?;
    let now = state.now();
    if effective == Effective::NextDueDate {
        let r = state
            .db
            .run(move |db| {
                cycle_changes::change_cycle(
                    db,
                    &who.0,
                    &ident,
                    &service,
                    &body.billing_cycle,
                    &meta.0,
                    now,
                )
            })
            .await?;
        return Ok(HttpResponse::Ok().json(ServiceResponse {
            data: service_view(&r),
        }));
    }
    let brand = Branding::from_config(&state.config);
    let out = state
        .db
        .run(move |db| {
            cycle_changes::change_now(
                db,
                &brand,
                &who.0,
                &ident,
                &service,
                &body.billing_cycle,
                &meta.0,
                now,
            )
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Created().json(CycleChangeResponse {
        data: service_view(&out.record),
        invoice: invoice_view(&out.invoice, &out.record.currency),
        unused_credit: billing::money(out.unused_credit, &out.record.currency),
    }))
}
