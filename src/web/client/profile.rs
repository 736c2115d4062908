//! The account's profile: name, company, address, VAT id.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    domain::privileges::Privilege,
    service::{accounts::clients::ProfileChange, billing::vat_ids},
    store::clients::Client,
    web::errors::PageError,
    web::{
        client::account::{self, Account},
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProfileForm {
    csrf: String,
    kind: String,
    first_name: String,
    last_name: String,
    company_name: String,
    email: String,
    phone: String,
    address1: String,
    address2: String,
    city: String,
    state: String,
    postcode: String,
    country: String,
    vat_id: String,
}

impl ProfileForm {
    fn of(c: &Client) -> Self {
        Self {
            csrf: String::new(),
            kind: c.kind.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            company_name: c.company_name.clone().unwrap_or_default(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            address1: c.address1.clone(),
            address2: c.address2.clone(),
            city: c.city.clone(),
            state: c.state.clone(),
            postcode: c.postcode.clone(),
            country: c.country.clone(),
            vat_id: c.vat_id.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "client/profile.html")]
struct ProfilePage {
    layout: Layout,
    csrf: String,
    form: FormState,
    input: ProfileForm,
    can_edit: bool,
    saved: bool,
    /// What is known about the stored VAT id, in words.
    vat_validation: Option<String>,
}

fn page(
    web: &mut Web,
    account: &Account,
    status: StatusCode,
    form: FormState,
    input: ProfileForm,
    saved: bool,
) -> Result<HttpResponse, PageError> {
    let page = ProfilePage {
        layout: account.layout(web, "Profile"),
        csrf: account.csrf.clone(),
        form,
        input,
        can_edit: account.access.can(Privilege::MiscEditMain),
        saved,
        vat_validation: vat_ids::describe_client(&account.access.client).map(|d| {
            let mut chars = d.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }),
    };
    Ok(web.html(status, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn show(mut web: Web, query: aw::Query<SavedQuery>) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let input = ProfileForm::of(&account.access.client);
    let saved = query.saved.is_some();
    page(
        &mut web,
        &account,
        StatusCode::OK,
        FormState::default(),
        input,
        saved,
    )
}

pub async fn save(mut web: Web, form: aw::Form<ProfileForm>) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let account = account::load(&web).await?;
    let change = ProfileChange {
        kind: Some(input.kind.clone()).filter(|k| !k.is_empty()),
        first_name: Some(input.first_name.clone()),
        last_name: Some(input.last_name.clone()),
        company_name: Some(input.company_name.clone()),
        company_number: None,
        email: Some(input.email.clone()),
        phone: Some(input.phone.clone()),
        address1: Some(input.address1.clone()),
        address2: Some(input.address2.clone()),
        city: Some(input.city.clone()),
        state: Some(input.state.clone()),
        postcode: Some(input.postcode.clone()),
        country: Some(input.country.clone()),
        vat_id: Some(input.vat_id.clone()),
    };
    let done = vat_ids::update_profile(
        &web.state.db,
        &web.state.config.vies,
        &account.principal,
        &account.ident(),
        change,
        &web.meta,
        web.state.now(),
    )
    .await;
    match done {
        Ok(_) => Ok(web.redirect("/account/profile?saved=1")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            page(&mut web, &account, status, problems, input, false)
        }
    }
}
