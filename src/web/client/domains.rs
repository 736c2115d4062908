//! The account's domains: a list, and each domain with its expiry, its
//! nameservers, auto-renew, cancelling at expiry, the transfer lock, ID
//! protection (where its TLD offers it) and a link to its DNS records
//! when it has a zone; its auth code is `domain_code`. The same service functions as the API
//! (`service::domains::client_domains`); another account's domain is a 404,
//! a contact without the domains privilege sees a 403.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    config::Secret,
    error::AppError,
    service::{
        dns,
        domains::{
            client_domains,
            domain_actions::{self, Options, Who},
        },
        sales::orders,
    },
    store::domains::Domain,
    web::errors::PageError,
    web::{
        client::account,
        form::{FormState, problem_or_down},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "client/my_domains.html")]
struct ListPage {
    layout: Layout,
    domains: Vec<Domain>,
}

pub async fn list(mut web: Web) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let domains = web
        .state
        .db
        .run(move |db| client_domains::list(db, &principal, &ident))
        .await?;
    let page = ListPage {
        layout: account.layout(&web, "Domains"),
        domains,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Template)]
#[template(path = "client/domain.html")]
struct DetailPage {
    layout: Layout,
    csrf: String,
    domain: Domain,
    /// The nameservers as the textarea shows them, one per line.
    nameservers_text: String,
    /// The nameserver problems, one line each.
    nameserver_errors: Vec<String>,
    /// The domain's DNS zone, for the link to its records editor.
    dns_zone: Option<i64>,
    /// Which registrar actions the page offers.
    options: Options,
    /// The auth code just asked for (shown once, on this response only).
    epp_code: Option<String>,
    form: FormState,
    notice: Option<&'static str>,
    /// The terms the "Renew" form offers (none: it is not shown).
    renew_years: Vec<u32>,
    /// A fresh idempotency key for the "Renew" form.
    order_key: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub(super) fn domain_id(raw: &str) -> Result<i64, PageError> {
    raw.trim()
        .parse()
        .map_err(|_| PageError::App(AppError::NotFound))
}

pub async fn show(
    mut web: Web,
    path: aw::Path<String>,
    query: aw::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let notice = match query.done.as_deref() {
        Some("nameservers") => Some("The nameservers were saved; the registrar is told shortly."),
        Some("renew-on") => Some("Auto-renew is on: the domain renews before it expires."),
        Some("renew-off") => Some("Auto-renew is off: the domain lapses at its expiry."),
        Some("cancel") => Some("The domain will not be renewed and lapses at its expiry."),
        Some("lock-on") => {
            Some("The registrar is asked to lock the domain; this page shows it once done.")
        }
        Some("lock-off") => {
            Some("The registrar is asked to unlock the domain; this page shows it once done.")
        }
        Some("privacy-on") => {
            Some("The registrar is asked to turn ID protection on; this page shows it once done.")
        }
        Some("privacy-off") => {
            Some("The registrar is asked to turn ID protection off; this page shows it once done.")
        }
        _ => None,
    };
    let id = domain_id(&path)?;
    detail(
        &mut web,
        id,
        StatusCode::OK,
        FormState::default(),
        None,
        notice,
        None,
    )
    .await
}

/// The domain page; `typed` keeps the nameservers a rejected form sent,
/// `epp_code` is the auth code just asked for.
pub(super) async fn detail(
    web: &mut Web,
    id: i64,
    status: StatusCode,
    form: FormState,
    typed: Option<String>,
    notice: Option<&'static str>,
    epp_code: Option<Secret>,
) -> Result<HttpResponse, PageError> {
    let account = account::load(web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (found, options) = web
        .state
        .db
        .run(move |db| {
            let found = dns::domain_records(db, &principal, &ident, &id.to_string())?;
            let options = domain_actions::options(db, &principal, &ident, id)?;
            Ok((found, options))
        })
        .await?;
    let domain = found.domain;
    let nameserver_errors = form
        .errors
        .iter()
        .filter(|(k, _)| k.starts_with("nameservers"))
        .map(|(k, m)| match k.strip_prefix("nameservers.") {
            Some(i) => {
                let line = i.parse::<usize>().map_or(0, |i| i + 1);
                format!("Line {line}: {}", m.join("; "))
            }
            None => capitalised(&m.join("; ")),
        })
        .collect();
    let today = crate::domain::time::today(web.state.now());
    let most = match (domain.status.as_str(), domain.expiry_date.as_deref()) {
        ("active" | "expired", Some(e)) => e
            .get(..10)
            .and_then(|e| e.parse().ok())
            .map_or(0, |e| orders::max_renewal_years(e, today)),
        _ => 0,
    };
    let page = DetailPage {
        renew_years: (1..=most).collect(),
        order_key: crate::auth::secrets::new_secret("web_"),
        layout: account.layout(web, &domain.name),
        csrf: account.csrf.clone(),
        nameservers_text: typed.unwrap_or_else(|| domain.nameservers.join("\n")),
        nameserver_errors,
        dns_zone: found.zone.map(|z| z.zone.id),
        options,
        epp_code: epp_code.map(|c| c.expose().to_string()),
        domain,
        form,
        notice,
    };
    Ok(web.html(status, page_html(&page)?))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Every form of the domain page.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DomainForm {
    csrf: String,
    nameservers: String,
    auto_renew: String,
    confirm: String,
    locked: String,
    enabled: String,
}

/// An on/off switch of a form, or the field's problem.
fn switch(field: &str, value: &str) -> Result<bool, AppError> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(AppError::invalid(field, "choose on or off")),
    }
}

/// The forms of the domain page: `nameservers`, `auto-renew`, `cancel`,
/// `lock`, `id-protection`.
pub async fn act(
    mut web: Web,
    path: aw::Path<(String, String)>,
    form: aw::Form<DomainForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let (raw, action) = path.into_inner();
    let id = domain_id(&raw)?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (meta, now) = (web.meta.clone(), web.state.now());
    let hosts: Vec<String> = input
        .nameservers
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let act = action.clone();
    let renew = input.auto_renew.clone();
    let confirmed = input.confirm == "yes";
    let (locked, enabled) = (input.locked.clone(), input.enabled.clone());
    let done = web
        .state
        .db
        .run(move |db| {
            let (p, c) = (&principal, ident.as_str());
            match act.as_str() {
                "nameservers" => client_domains::set_nameservers(db, p, c, id, &hosts, &meta, now)
                    .map(|_| "nameservers"),
                "auto-renew" => {
                    let on = switch("auto_renew", &renew)?;
                    client_domains::set_auto_renew(db, p, c, id, on, &meta, now)
                        .map(|_| if on { "renew-on" } else { "renew-off" })
                }
                "cancel" => {
                    client_domains::get(db, p, c, id)?;
                    if !confirmed {
                        return Err(AppError::invalid(
                            "confirm",
                            "tick the box to confirm the domain should lapse",
                        ));
                    }
                    client_domains::cancel(db, p, c, id, None, &meta, now).map(|_| "cancel")
                }
                "lock" => {
                    let on = switch("locked", &locked)?;
                    domain_actions::set_lock(db, Who::Client(p, c), id, on, &meta, now)
                        .map(|_| if on { "lock-on" } else { "lock-off" })
                }
                "id-protection" => {
                    let on = switch("enabled", &enabled)?;
                    domain_actions::set_id_protection(db, Who::Client(p, c), id, on, &meta, now)
                        .map(|_| if on { "privacy-on" } else { "privacy-off" })
                }
                _ => Err(AppError::NotFound),
            }
        })
        .await;
    match done {
        Ok(done) => Ok(web.redirect(&format!("/account/domains/{id}?done={done}"))),
        Err(e) => {
            let (status, problems) = problem_or_down(e)?;
            let typed = (action == "nameservers").then_some(input.nameservers);
            detail(&mut web, id, status, problems, typed, None, None).await
        }
    }
}
