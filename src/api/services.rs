//! A client's services: reference 000 hosting accounts and reference 001
//! services (label, billing cycle, upgrade, cancel), and the user's portal
//! notifications (reference 001 `/notifications`).

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    extract::{ApiPrincipal, Meta, client_ident},
    orders::{InvoiceView, invoice_view},
};
use crate::{
    domain::money::Money,
    error::{ApiError, AppError},
    service::{
        billing,
        cycle_changes::{self, Effective},
        email::Branding,
        notifications,
        plan_changes::{self, PlanOption},
        service_actions::{self, CancelWhen, ServiceRecord},
    },
    state::AppState,
    store::notifications::Notification,
};

/// Reference 000 `HostingAccount`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostingAccount {
    pub id: i64,
    pub display_name: String,
    pub domain: Option<String>,
    pub hostname: Option<String>,
    pub status: String,
    pub billing_cycle: String,
    pub recurring_amount: Money,
    pub next_due_date: Option<String>,
}

fn hosting(r: &ServiceRecord) -> HostingAccount {
    let s = &r.service;
    HostingAccount {
        id: s.id,
        display_name: s.label.clone().unwrap_or_else(|| r.product.name.clone()),
        domain: s.domain.clone(),
        hostname: s.domain.clone(),
        status: s.status.clone(),
        billing_cycle: s.billing_cycle.clone(),
        recurring_amount: billing::money(s.recurring_amount, &r.currency),
        next_due_date: s.next_due_date.clone(),
    }
}

/// A service in full (reference 001 service details).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: i64,
    pub uuid: String,
    pub product_id: i64,
    pub product: String,
    pub label: Option<String>,
    pub domain: Option<String>,
    pub status: String,
    pub billing_cycle: String,
    pub recurring_amount: Money,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub addons: Vec<ServiceAddonView>,
    /// `immediate` or `end_of_billing_period`, when a cancellation was asked.
    pub cancellation: Option<String>,
    /// A plan change waiting for its invoice: the invoice id.
    pub pending_change_invoice: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceAddonView {
    pub id: i64,
    pub addon_id: i64,
    pub status: String,
    pub billing_cycle: String,
    pub recurring_amount: Money,
}

fn service_view(r: &ServiceRecord) -> ServiceView {
    let s = &r.service;
    ServiceView {
        id: s.id,
        uuid: s.uuid.clone(),
        product_id: r.product.id,
        product: r.product.name.clone(),
        label: s.label.clone(),
        domain: s.domain.clone(),
        status: s.status.clone(),
        billing_cycle: s.billing_cycle.clone(),
        recurring_amount: billing::money(s.recurring_amount, &r.currency),
        registration_date: s.registration_date.clone(),
        next_due_date: s.next_due_date.clone(),
        addons: r
            .addons
            .iter()
            .map(|a| ServiceAddonView {
                id: a.id,
                addon_id: a.addon_id,
                status: a.status.clone(),
                billing_cycle: a.billing_cycle.clone(),
                recurring_amount: billing::money(a.recurring_amount, &r.currency),
            })
            .collect(),
        cancellation: r.cancellation.as_ref().map(|c| c.kind.clone()),
        pending_change_invoice: r.pending_change.as_ref().and_then(|c| c.invoice_id),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HostingList {
    pub data: Vec<HostingAccount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HostingResponse {
    pub data: HostingAccount,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceList {
    pub data: Vec<ServiceView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceResponse {
    pub data: ServiceView,
}

/// The client's hosting accounts (needs `services.full`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/hosting", tag = "Services", operation_id = "listHostingAccounts",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = HostingList), (status = 404, body = ApiError)))]
pub async fn hosting_list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let rows = state
        .db
        .run(move |db| service_actions::list(db, &who.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(HostingList {
        data: rows.iter().map(hosting).collect(),
    }))
}

/// One hosting account.
#[utoipa::path(get, path = "/api/v1/clients/{client}/hosting/{hostingAccount}", tag = "Services", operation_id = "getHostingAccount",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = HostingResponse), (status = 404, body = ApiError)))]
pub async fn hosting_get(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let r = state
        .db
        .run(move |db| service_actions::get(db, &who.0, &ident, &service))
        .await?;
    Ok(HttpResponse::Ok().json(HostingResponse { data: hosting(&r) }))
}

/// The client's services with their addons.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services", tag = "Services", operation_id = "listServices",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = ServiceList), (status = 404, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let rows = state
        .db
        .run(move |db| service_actions::list(db, &who.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(ServiceList {
        data: rows.iter().map(service_view).collect(),
    }))
}

/// One service in full.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}", tag = "Services", operation_id = "getService",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError)))]
pub async fn get(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let r = state
        .db
        .run(move |db| service_actions::get(db, &who.0, &ident, &service))
        .await?;
    Ok(HttpResponse::Ok().json(ServiceResponse {
        data: service_view(&r),
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LabelBody {
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LabelResponse {
    pub data: LabelBody,
}

/// The service's label (reference 001 `GET /service/{id}/label`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}/label", tag = "Services", operation_id = "getServiceLabel",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = LabelResponse), (status = 404, body = ApiError)))]
pub async fn label(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let r = state
        .db
        .run(move |db| service_actions::get(db, &who.0, &ident, &service))
        .await?;
    Ok(HttpResponse::Ok().json(LabelResponse {
        data: LabelBody {
            label: r.service.label.unwrap_or_default(),
        },
    }))
}

/// Set the service's label; an empty label clears it.
#[utoipa::path(put, path = "/api/v1/clients/{client}/services/{service}/label", tag = "Services", operation_id = "setServiceLabel",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = LabelBody,
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn set_label(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<LabelBody>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let r = state
        .db
        .run(move |db| {
            service_actions::set_label(db, &who.0, &ident, &service, &body.label, &meta.0, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ServiceResponse {
        data: service_view(&r),
    }))
}

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

#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelBody {
    /// `immediate` or `end_of_billing_period`.
    #[serde(default, alias = "type")]
    pub cancellation_type: String,
    #[serde(default)]
    pub reason: String,
}

async fn do_cancel(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: (String, String),
    body: CancelBody,
) -> Result<ServiceRecord, AppError> {
    let (client, service) = path;
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let brand = Branding::from_config(&state.config);
    let record = state
        .db
        .run(move |db| {
            // Someone else's service is a 404 whatever the body says.
            service_actions::get(db, &who.0, &ident, &service)?;
            let when = CancelWhen::parse(&body.cancellation_type).ok_or_else(|| {
                AppError::invalid(
                    "cancellation_type",
                    "must be immediate or end_of_billing_period",
                )
            })?;
            service_actions::cancel(
                db,
                &brand,
                &who.0,
                &ident,
                &service,
                when,
                &body.reason,
                &meta.0,
                now,
            )
        })
        .await?;
    state.wake_mailer();
    Ok(record)
}

/// Ask to cancel a hosting account (reference 000).
#[utoipa::path(post, path = "/api/v1/clients/{client}/hosting/{hostingAccount}/cancel", tag = "Services", operation_id = "cancelHostingAccount",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    request_body = CancelBody,
    responses((status = 200, body = HostingResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn hosting_cancel(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<CancelBody>,
) -> Result<HttpResponse, AppError> {
    let r = do_cancel(req, state, who, meta, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(HostingResponse { data: hosting(&r) }))
}

/// Ask to cancel a service: now, or at the end of its paid period.
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/cancel", tag = "Services", operation_id = "cancelService",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = CancelBody,
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn cancel(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<CancelBody>,
) -> Result<HttpResponse, AppError> {
    let r = do_cancel(req, state, who, meta, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ServiceResponse {
        data: service_view(&r),
    }))
}

/// Reference 001 notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub client_id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub subject: String,
    pub message: String,
    pub link: String,
    pub date: String,
    pub acked: bool,
}

fn notification_view(n: &Notification) -> NotificationView {
    NotificationView {
        id: n.id,
        client_id: n.client_id,
        kind: n.kind.clone(),
        subject: n.title.clone(),
        message: n.body.clone(),
        link: n.link.clone(),
        date: n.created_at.clone(),
        acked: n.acked,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub notifications: Vec<NotificationView>,
}

/// The user's portal notifications, newest first (at most 100).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "Account", operation_id = "listNotifications",
    security(("bearerAuth" = [])), responses((status = 200, body = NotificationList), (status = 401, body = ApiError)))]
pub async fn notifications_all(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .run(move |db| notifications::list(db, &who.0, false))
        .await?;
    Ok(HttpResponse::Ok().json(NotificationList {
        notifications: rows.iter().map(notification_view).collect(),
    }))
}

/// The notifications this user has not acknowledged.
#[utoipa::path(get, path = "/api/v1/notifications/new", tag = "Account", operation_id = "newNotifications",
    security(("bearerAuth" = [])), responses((status = 200, body = NotificationList), (status = 401, body = ApiError)))]
pub async fn notifications_new(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .run(move |db| notifications::list(db, &who.0, true))
        .await?;
    Ok(HttpResponse::Ok().json(NotificationList {
        notifications: rows.iter().map(notification_view).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AckResponse {
    pub success: bool,
}

/// Acknowledge a notification (for this user).
#[utoipa::path(put, path = "/api/v1/notifications/{id}/ack", tag = "Account", operation_id = "ackNotification",
    security(("bearerAuth" = [])), params(("id" = i64, Path, description = "Notification id")),
    responses((status = 200, body = AckResponse), (status = 404, body = ApiError)))]
pub async fn notification_ack(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = path.parse().map_err(|_| AppError::NotFound)?;
    let now = state.now();
    state
        .db
        .run(move |db| notifications::ack(db, &who.0, id, now))
        .await?;
    Ok(HttpResponse::Ok().json(AckResponse { success: true }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginUrlResponse {
    /// A single sign-on link into the control panel; use it at once.
    pub url: String,
}

/// A single sign-on link into the hosting control panel (reference 000).
#[utoipa::path(post, path = "/api/v1/clients/{client}/hosting/{hostingAccount}/login-url", tag = "Services",
    operation_id = "hostingLoginUrl", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = LoginUrlResponse), (status = 400, description = "The module has no login URL", body = ApiError),
              (status = 404, body = ApiError), (status = 502, body = ApiError)))]
pub async fn login_url(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let principal = who.0.clone();
    let id = state
        .db
        .run(move |db| service_actions::get(db, &principal, &ident, &service))
        .await?
        .service
        .id;
    let url = crate::service::module_actions::login_url(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &id.to_string(),
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(LoginUrlResponse { url }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordBody {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirmation: String,
}

/// Change the hosting account's password at the panel (reference 000).
#[utoipa::path(post, path = "/api/v1/clients/{client}/hosting/{hostingAccount}/change-password", tag = "Services",
    operation_id = "hostingChangePassword", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    request_body = ChangePasswordBody,
    responses((status = 200, body = AckResponse), (status = 404, body = ApiError), (status = 422, body = ApiError),
              (status = 502, body = ApiError)))]
pub async fn change_password(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
    body: aw::Json<ChangePasswordBody>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let principal = who.0.clone();
    let id = state
        .db
        .run(move |db| service_actions::get(db, &principal, &ident, &service))
        .await?
        .service
        .id;
    if body.password != body.password_confirmation {
        return Err(AppError::invalid(
            "password_confirmation",
            "does not match the password",
        ));
    }
    crate::service::module_actions::change_password(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &id.to_string(),
        &body.password,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(AckResponse { success: true }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RenewResponse {
    pub success: bool,
    pub invoice: InvoiceView,
}

/// Invoice the service's next period now, to pay ahead (reference 001
/// `POST /service/{id}/renew`).
#[utoipa::path(post, path = "/api/v1/clients/{client}/services/{service}/renew", tag = "Services", operation_id = "renewService",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 201, body = RenewResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn renew(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let invoice = state
        .db
        .run(move |db| {
            let i = service_actions::renew(db, &brand, &who.0, &ident, &service, &meta.0, now)?;
            let c = db.read(|c| billing::currency(c, &i.currency))?;
            Ok(invoice_view(&i, &c))
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Created().json(RenewResponse {
        success: true,
        invoice,
    }))
}
