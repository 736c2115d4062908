//! The store's domain search (`/domains`): a name or a bare label, its
//! availability and price, and the same label in the other sold TLDs; and
//! the product page's "Check availability" button, which posts the order
//! form here and shows the answer beside the domain field. Both call the
//! API's service functions (`service::domains`), so the limits and the
//! cache are the same.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    service::{
        billing,
        domains::{self, Caller, DomainAvailability, Status},
    },
    web::{
        client::{account, order_form::OrderForm, store},
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// One answer as the pages show it.
pub struct DomainRow {
    pub domain: String,
    /// The punycode form, when it differs (an IDN).
    pub ascii: Option<String>,
    /// `available`, `unavailable` or `provisional_available`.
    pub status: &'static str,
    pub status_text: String,
    /// `$12.00 for 1 year`; empty without a price in the shown currency.
    pub price: String,
    pub cached: bool,
}

pub fn row(a: &DomainAvailability) -> DomainRow {
    let status_text = match (a.status, a.source.is_some()) {
        (Status::Available, _) => "Available".to_string(),
        (Status::Unavailable, _) => "Registered already".to_string(),
        (Status::ProvisionalAvailable, false) => {
            "Probably available: we check this ending by hand after you order".to_string()
        }
        (Status::ProvisionalAvailable, true) => {
            "Probably available: the registry did not answer just now".to_string()
        }
    };
    let price = a
        .pricing
        .as_ref()
        .and_then(|p| {
            let t = p.terms.first()?;
            let years = if t.years == 1 { "year" } else { "years" };
            Some(format!(
                "{} for {} {years}",
                billing::format_money(t.register, &p.currency),
                t.years
            ))
        })
        .unwrap_or_default();
    DomainRow {
        domain: a.name.unicode().to_string(),
        ascii: (a.name.ascii() != a.name.unicode()).then(|| a.name.ascii().to_string()),
        status: a.status.as_str(),
        status_text,
        price,
        cached: a.cached,
    }
}

/// Who is asking, for the currency and the address limit.
pub fn caller(web: &Web, account: Option<&account::Account>) -> Caller {
    Caller {
        principal: account.map(|a| a.principal.clone()),
        client: account.map(|a| a.ident()),
        ip: web.meta.ip.clone(),
    }
}

#[derive(Template)]
#[template(path = "client/domains.html")]
struct SearchPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    domain: String,
    asked: Option<DomainRow>,
    suggestions: Vec<DomainRow>,
}

#[derive(Debug, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub domain: String,
}

async fn render(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    domain: String,
    found: Option<domains::Search>,
) -> Result<HttpResponse, PageError> {
    let account = store::maybe_account(web).await?;
    let (asked, suggestions) = match found {
        Some(s) => (Some(row(&s.asked)), s.suggestions.iter().map(row).collect()),
        None => (None, Vec::new()),
    };
    let page = SearchPage {
        layout: store::layout(web, account.as_ref(), "Domains"),
        csrf: match account.as_ref() {
            Some(a) => a.csrf.clone(),
            None => web.csrf_token(Area::Client),
        },
        form,
        domain,
        asked,
        suggestions,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn show(mut web: Web) -> Result<HttpResponse, PageError> {
    render(
        &mut web,
        StatusCode::OK,
        FormState::default(),
        String::new(),
        None,
    )
    .await
}

pub async fn search(mut web: Web, form: aw::Form<SearchForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = store::maybe_account(&web).await?;
    let who = caller(&web, account.as_ref());
    let state = web.state.clone();
    let found = domains::search(
        &state.db,
        &state.domains,
        &state.limiter,
        who,
        &form.domain,
        state.now(),
    )
    .await;
    match found {
        Ok(s) => {
            render(
                &mut web,
                StatusCode::OK,
                FormState::default(),
                form.domain,
                Some(s),
            )
            .await
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            render(&mut web, status, problems, form.domain, None).await
        }
    }
}

/// The product page's "Check availability": the same order form, shown
/// again with the answer for its domain field.
pub async fn check_product_domain(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let input = OrderForm::parse(form.into_inner());
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = store::maybe_account(&web).await?;
    let who = caller(&web, account.as_ref());
    let state = web.state.clone();
    let answer = domains::check(
        &state.db,
        &state.domains,
        &state.limiter,
        who,
        &input.domain,
        state.now(),
    )
    .await;
    let slug = path.into_inner();
    match answer {
        Ok(a) => {
            let checked = Some(row(&a));
            store::product_page_with(
                &mut web,
                slug,
                StatusCode::OK,
                FormState::default(),
                input,
                checked,
            )
            .await
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            store::product_page_with(&mut web, slug, status, problems, input, None).await
        }
    }
}
