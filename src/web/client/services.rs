//! The account's services: a list, and each service with its label, its
//! billing cycle, plan changes (prorated), cancellation and, for a live
//! service with a panel, the panel login and password (`panel`). The same
//! service functions as the API; another account's service is a 404.

mod panel;

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::domain::status::ServiceStatus;
use crate::{
    service::{
        billing,
        email::Branding,
        services::cycle_changes::{self, Effective},
        services::module_actions,
        services::plan_changes,
        services::service_actions::{self, CancelWhen, ServiceRecord},
    },
    web::errors::PageError,
    web::{
        client::account,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

pub struct ServiceRow {
    pub id: i64,
    pub name: String,
    pub domain: String,
    pub status: String,
    pub cycle: String,
    pub amount: String,
    pub next_due: String,
}

fn row(r: &ServiceRecord) -> ServiceRow {
    let s = &r.service;
    ServiceRow {
        id: s.id,
        name: s.label.clone().unwrap_or_else(|| r.product.name.clone()),
        domain: s.domain.clone().unwrap_or_default(),
        status: s.status.to_string(),
        cycle: s.billing_cycle.clone(),
        amount: billing::format_money(s.recurring_amount, &r.currency),
        next_due: s.next_due_date.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "client/services.html")]
struct ListPage {
    layout: Layout,
    services: Vec<ServiceRow>,
}

pub async fn list(mut web: Web) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let rows = web
        .state
        .db
        .run(move |db| service_actions::list(db, &principal, &ident))
        .await?;
    let page = ListPage {
        layout: account.layout(&web, "Services"),
        services: rows.iter().map(row).collect(),
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

pub struct PlanRow {
    pub product: String,
    pub name: String,
    pub renews_at: String,
    pub due_now: String,
    pub credit: bool,
}

#[derive(Template)]
#[template(path = "client/service.html")]
struct DetailPage {
    layout: Layout,
    csrf: String,
    service: ServiceRow,
    product: String,
    label_text: String,
    cycles: Vec<(String, String, bool)>,
    plans: Vec<PlanRow>,
    cancellation: String,
    pending_invoice: Option<i64>,
    can_change: bool,
    /// The panel login and password forms.
    panel: bool,
    /// The service's DNS zone, for the link to its records editor.
    dns_zone: Option<i64>,
    form: FormState,
    notice: Option<&'static str>,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    mut web: Web,
    path: aw::Path<String>,
    query: aw::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let notice = match query.done.as_deref() {
        Some("label") => Some("The label was saved."),
        Some("cycle") => Some("The billing cycle changes from the next renewal."),
        Some("plan") => Some("Your plan was changed."),
        Some("cancel") => Some("Your cancellation request was received."),
        Some("password") => Some("The control panel password was changed."),
        _ => None,
    };
    detail(
        &mut web,
        path.into_inner(),
        StatusCode::OK,
        FormState::default(),
        notice,
    )
    .await
}

async fn detail(
    web: &mut Web,
    wanted: String,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<HttpResponse, PageError> {
    let account = account::load(web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let now = web.state.now();
    let ((r, cycles), (_, plans), dns_zone) = web
        .state
        .db
        .run(move |db| {
            let cycles = cycle_changes::cycle_options(db, &principal, &ident, &wanted)?;
            let plans = plan_changes::options(db, &principal, &ident, &wanted, now)?;
            let zone = crate::service::dns::of_service(db, &principal, &ident, &wanted)?;
            Ok((cycles, plans, zone.map(|z| z.id)))
        })
        .await?;
    let fmt = |m: i64| billing::format_money(m, &r.currency);
    let page = DetailPage {
        layout: account.layout(web, &r.product.name),
        csrf: account.csrf.clone(),
        product: r.product.name.clone(),
        label_text: r.service.label.clone().unwrap_or_default(),
        cycles: cycles
            .iter()
            .map(|(c, a)| {
                (
                    c.as_str().to_string(),
                    format!("{} {}", fmt(*a), c.label()),
                    c.as_str() == r.service.billing_cycle,
                )
            })
            .collect(),
        plans: plans
            .iter()
            .map(|p| PlanRow {
                product: p.product.slug.clone(),
                name: p.product.name.clone(),
                renews_at: fmt(p.new_recurring),
                due_now: fmt(p.amount_now.abs()),
                credit: p.amount_now < 0,
            })
            .collect(),
        cancellation: r
            .cancellation
            .as_ref()
            .map(|c| c.kind.replace('_', " "))
            .unwrap_or_default(),
        pending_invoice: r.pending_change.as_ref().and_then(|c| c.invoice_id),
        can_change: matches!(
            r.service.status,
            ServiceStatus::Active | ServiceStatus::Suspended
        ) && r.cancellation.is_none(),
        panel: module_actions::offers_panel(r.service.status, &r.product.module),
        dns_zone,
        service: row(&r),
        form,
        notice,
    };
    Ok(web.html(status, page_html(&page)?))
}

/// Every form of the service page (no `Debug`: it may hold a password).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
    label: String,
    billing_cycle: String,
    effective: String,
    product: String,
    cancellation_type: String,
    reason: String,
    password: String,
    password_confirmation: String,
}

/// The forms of the service page: label, cycle, plan, cancel, and the
/// panel's login and password.
pub async fn act(
    mut web: Web,
    path: aw::Path<(String, String)>,
    form: aw::Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let (service, action) = path.into_inner();
    match action.as_str() {
        "panel-login" => return panel::login(web, account, service).await,
        "password" => {
            return panel::change_password(
                web,
                account,
                service,
                input.password,
                input.password_confirmation,
            )
            .await;
        }
        _ => {}
    }
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (meta, now) = (web.meta.clone(), web.state.now());
    let brand = Branding::from_config(&web.state.config);
    let target = service.clone();
    let act = action.clone();
    let done = web
        .state
        .db
        .run(move |db| {
            let (p, c, s) = (&principal, ident.as_str(), target.as_str());
            match act.as_str() {
                "label" => {
                    service_actions::set_label(db, p, c, s, &input.label, &meta, now).map(|_| None)
                }
                "cycle" => match Effective::parse(&input.effective) {
                    Some(Effective::Now) => cycle_changes::change_now(
                        db,
                        &brand,
                        p,
                        c,
                        s,
                        &input.billing_cycle,
                        &meta,
                        now,
                    )
                    .map(|o| Some(o.invoice.id)),
                    Some(Effective::NextDueDate) => {
                        cycle_changes::change_cycle(db, p, c, s, &input.billing_cycle, &meta, now)
                            .map(|_| None)
                    }
                    None => Err(crate::error::AppError::invalid(
                        "effective",
                        "choose when the new cycle starts",
                    )),
                },
                "plan" => plan_changes::change(db, &brand, p, c, s, &input.product, &meta, now)
                    .map(|o| o.invoice.map(|i| i.id)),
                "cancel" => {
                    service_actions::get(db, p, c, s)?;
                    let when = CancelWhen::parse(&input.cancellation_type).ok_or_else(|| {
                        crate::error::AppError::invalid(
                            "cancellation_type",
                            "choose when the service should end",
                        )
                    })?;
                    service_actions::cancel(db, &brand, p, c, s, when, &input.reason, &meta, now)
                        .map(|_| None)
                }
                _ => Err(crate::error::AppError::NotFound),
            }
        })
        .await;
    match done {
        Ok(Some(invoice)) => {
            web.state.wake_mailer();
            Ok(web.redirect(&format!("/account/invoices/{invoice}")))
        }
        Ok(None) => {
            web.state.wake_mailer();
            Ok(web.redirect(&format!("/account/services/{service}?done={action}")))
        }
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            detail(&mut web, service, status, problems, None).await
        }
    }
}
