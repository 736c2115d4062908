//! Addons of a client's service (reference 004 `GET/POST /service/@id/addon`):
//! the ones it holds, the ones it could add with what they cost today, and
//! ordering one (invoice-first; a free addon starts at once).

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
        services::service_addons::{self, AddonOffer, HeldAddon},
    },
    state::AppState,
    store::currencies::Currency,
};

/// An addon a service holds (reference 004: `id`, `name`, `status`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceAddonView {
    pub id: i64,
    pub addon_id: i64,
    pub name: String,
    /// pending (waiting for its invoice), active, suspended, terminated or
    /// cancelled; an addon of an ended service shows the service's status.
    pub status: String,
    /// The service's cycle, or `onetime`.
    pub billing_cycle: String,
    pub recurring_amount: Money,
    pub next_due_date: Option<String>,
}

fn held_view(h: &HeldAddon, currency: &Currency) -> ServiceAddonView {
    ServiceAddonView {
        id: h.addon.id,
        addon_id: h.addon.addon_id,
        name: h.name.clone(),
        status: h.status.clone(),
        billing_cycle: h.addon.billing_cycle.clone(),
        recurring_amount: billing::money(h.addon.recurring_amount, currency),
        next_due_date: h.addon.next_due_date.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceAddonList {
    pub data: Vec<ServiceAddonView>,
}

/// The addons of a service.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}/addons", tag = "Services", operation_id = "listServiceAddons",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = ServiceAddonList), (status = 404, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let data = state
        .db
        .run(move |db| {
            let list = service_addons::list(db, &who.0, &ident, &service)?;
            let currency = db.read(|c| billing::currency(c, &list.service.currency))?;
            Ok(list.held.iter().map(|h| held_view(h, &currency)).collect())
        })
        .await?;
    Ok(HttpResponse::Ok().json(ServiceAddonList { data }))
}

/// One charge of an addon order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChargeLine {
    pub description: String,
    pub amount: Money,
}

/// An addon the service could add now.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddonOfferView {
    pub addon_id: i64,
    pub name: String,
    pub description: String,
    /// The service's cycle, or `onetime`.
    pub billing_cycle: String,
    /// What it renews at with the service (zero for one-time).
    pub recurring_amount: Money,
    /// Due now: the days left of the current period, any later period
    /// already invoiced, and the setup fee.
    pub due_now: Money,
    pub lines: Vec<ChargeLine>,
}

fn offer_view(o: &AddonOffer, currency: &Currency) -> AddonOfferView {
    AddonOfferView {
        addon_id: o.addon.id,
        name: o.addon.name.clone(),
        description: o.addon.description.clone(),
        billing_cycle: o.cycle.clone(),
        recurring_amount: billing::money(o.recurring, currency),
        due_now: billing::money(o.due_now(), currency),
        lines: o
            .lines
            .iter()
            .map(|(d, a)| ChargeLine {
                description: d.clone(),
                amount: billing::money(*a, currency),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddonOfferList {
    pub data: Vec<AddonOfferView>,
}

/// The addons the service could add now (only an active service can), with
/// what each costs today.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}/addons/available", tag = "Services", operation_id = "serviceAddonOptions",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = AddonOfferList), (status = 404, body = ApiError)))]
pub async fn available(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let (_, currency, offers) = state
        .db
        .run(move |db| service_addons::offers(db, &who.0, &ident, &service, now))
        .await?;
    Ok(HttpResponse::Ok().json(AddonOfferList {
        data: offers.iter().map(|o| offer_view(o, &currency)).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderAddonBody {
    /// The addon's id (number or text), uuid or slug.
    #[serde(default)]
    #[schema(value_type = String)]
    pub addon_id: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderAddonResponse {
    pub success: bool,
    pub data: ServiceAddonView,
    /// The invoice to pay; absent for a free addon, which is active now.
    pub invoice: Option<InvoiceView>,
}

/// Order an addon for an active service (reference 004 `POST
/// /service/@id/addon`). It is charged on an invoice and starts when that
/// is paid; then it renews with the service.
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/addons", tag = "Services", operation_id = "orderServiceAddon",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = OrderAddonBody,
    responses((status = 201, body = OrderAddonResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn order(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<OrderAddonBody>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let addon = match &body.addon_id {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        // Checked after the access check, like any other bad field.
        _ => String::new(),
    };
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let out = state
        .db
        .run(move |db| {
            let o =
                service_addons::order(db, &brand, &who.0, &ident, &service, &addon, &meta.0, now)?;
            let currency = db.read(|c| billing::currency(c, &o.held.addon.currency))?;
            Ok(OrderAddonResponse {
                success: true,
                data: held_view(&o.held, &currency),
                invoice: o.invoice.as_ref().map(|i| invoice_view(i, &currency)),
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}
