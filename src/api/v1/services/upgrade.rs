//! Upgrade and downgrade: the plan options with their price today, and
//! the move to another plan.

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
        services::plan_changes::{self, PlanOption},
        services::service_actions::ServiceRecord,
    },
    state::AppState,
};

use super::views::{ServiceView, service_view};

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOptionView {
    pub product_id: i64,
    pub name: String,
    pub billing_cycle: String,
    /// What the new plan renews at.
    pub recurring_amount: Money,
    /// Due now for the days left in the paid period; negative is credited.
    pub amount_now: Money,
    pub days_left: i64,
    pub days_in_period: i64,
}

fn plan_view(o: &PlanOption, r: &ServiceRecord) -> PlanOptionView {
    PlanOptionView {
        product_id: o.product.id,
        name: o.product.name.clone(),
        billing_cycle: o.cycle.as_str().into(),
        recurring_amount: billing::money(o.new_recurring, &r.currency),
        amount_now: billing::money(o.amount_now, &r.currency),
        days_left: o.days_left,
        days_in_period: o.days_in_period,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOptionList {
    pub data: Vec<PlanOptionView>,
}

/// Upgrade and downgrade options with their prorated price today.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}/upgrade", tag = "Services", operation_id = "serviceUpgradeOptions",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = PlanOptionList), (status = 404, body = ApiError)))]
pub async fn upgrade_options(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let (r, options) = state
        .db
        .run(move |db| plan_changes::options(db, &who.0, &ident, &service, now))
        .await?;
    Ok(HttpResponse::Ok().json(PlanOptionList {
        data: options.iter().map(|o| plan_view(o, &r)).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpgradeBody {
    /// The product id, uuid or slug to move to.
    #[serde(default)]
    #[schema(value_type = String)]
    pub product_id: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpgradeResponse {
    pub data: ServiceView,
    pub change: PlanOptionView,
    /// Applied now (a downgrade or even swap), or waiting for `invoice`.
    pub applied: bool,
    pub invoice: Option<InvoiceView>,
}

/// Move to another plan: an upgrade is invoiced for the days left and
/// applied when paid; a downgrade is applied now and the difference goes
/// to account credit.
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/upgrade", tag = "Services", operation_id = "upgradeService",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = UpgradeBody,
    responses((status = 201, body = UpgradeResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn upgrade(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<UpgradeBody>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let product = match &body.product_id {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let (out, invoice) = state
        .db
        .run(move |db| {
            let out =
                plan_changes::change(db, &brand, &who.0, &ident, &service, &product, &meta.0, now)?;
            let invoice = match &out.invoice {
                Some(i) => {
                    let c = db.read(|c| billing::currency(c, &i.currency))?;
                    Some(invoice_view(i, &c))
                }
                None => None,
            };
            Ok((out, invoice))
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Created().json(UpgradeResponse {
        data: service_view(&out.record),
        change: plan_view(&out.option, &out.record),
        applied: out.applied,
        invoice,
    }))
}
