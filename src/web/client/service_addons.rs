//! A service's addons page: the addons it holds, and the ones it could add
//! with what each costs today. Ordering one opens its invoice (a free one
//! starts at once). The same service functions as the API; another
//! account's service is a 404.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::domain::status::ServiceStatus;
use crate::{
    service::{billing, email::Branding, services::service_addons},
    web::errors::PageError,
    web::{
        client::account,
        form::{FormState, problem},
        page_html,
        session::{Area, Web},
    },
};

pub struct HeldRow {
    pub name: String,
    pub status: String,
    pub billing: String,
    pub next_due: String,
}

pub struct OfferRow {
    pub addon_id: i64,
    pub name: String,
    pub description: String,
    pub renews_at: String,
    pub lines: Vec<(String, String)>,
    pub due_now: String,
}

#[derive(Template)]
#[template(path = "client/service_addons.html")]
struct AddonsPage {
    layout: crate::web::layout::Layout,
    csrf: String,
    service_id: i64,
    service_name: String,
    held: Vec<HeldRow>,
    offers: Vec<OfferRow>,
    can_order: bool,
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
    let notice = (query.done.as_deref() == Some("added")).then_some("The addon is active.");
    page(
        &mut web,
        path.into_inner(),
        StatusCode::OK,
        FormState::default(),
        notice,
    )
    .await
}

async fn page(
    web: &mut Web,
    wanted: String,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<HttpResponse, PageError> {
    let account = account::load(web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let now = web.state.now();
    let (service, currency, held, offers, name) = web
        .state
        .db
        .run(move |db| {
            let list = service_addons::list(db, &principal, &ident, &wanted)?;
            let (_, currency, offers) =
                service_addons::offers(db, &principal, &ident, &wanted, now)?;
            Ok((list.service, currency, list.held, offers, list.name))
        })
        .await?;
    let fmt = |m: i64| billing::format_money(m, &currency);
    let page = AddonsPage {
        layout: account.layout(web, &format!("Addons of {name}")),
        csrf: account.csrf.clone(),
        service_id: service.id,
        service_name: name,
        held: held
            .iter()
            .map(|h| HeldRow {
                name: h.name.clone(),
                status: h.status.clone(),
                billing: if h.addon.billing_cycle == "onetime" {
                    "one-time".into()
                } else {
                    format!(
                        "{} {}",
                        fmt(h.addon.recurring_amount),
                        h.addon.billing_cycle
                    )
                },
                next_due: h.addon.next_due_date.clone().unwrap_or_default(),
            })
            .collect(),
        offers: offers
            .iter()
            .map(|o| OfferRow {
                addon_id: o.addon.id,
                name: o.addon.name.clone(),
                description: o.addon.description.clone(),
                renews_at: if o.cycle == "onetime" {
                    "one-time".into()
                } else {
                    format!("{} {}", fmt(o.recurring), o.cycle)
                },
                lines: o.lines.iter().map(|(d, a)| (d.clone(), fmt(*a))).collect(),
                due_now: fmt(o.due_now()),
            })
            .collect(),
        can_order: service.status == ServiceStatus::Active,
        form,
        notice,
    };
    Ok(web.html(status, page_html(&page)?))
}

#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct OrderForm {
    csrf: String,
    addon_id: String,
}

/// Order an addon: to its invoice, or back here when it was free.
pub async fn order(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<OrderForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let service = path.into_inner();
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (meta, now) = (web.meta.clone(), web.state.now());
    let brand = Branding::from_config(&web.state.config);
    let target = service.clone();
    let done = web
        .state
        .db
        .run(move |db| {
            service_addons::order(
                db,
                &brand,
                &principal,
                &ident,
                &target,
                &input.addon_id,
                &meta,
                now,
            )
        })
        .await;
    match done {
        Ok(o) => match o.invoice {
            Some(i) => Ok(web.redirect(&format!("/account/invoices/{}", i.id))),
            None => Ok(web.redirect(&format!("/account/services/{service}/addons?done=added"))),
        },
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            page(&mut web, service, status, problems, None).await
        }
    }
}
