//! The sign-up page and form.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    service::accounts::{self, SignupInput},
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

use super::notice::notice;

/// The sign-up form's fields as typed, to show them again.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct SignupForm {
    csrf: String,
    kind: String,
    email: String,
    password: String,
    first_name: String,
    last_name: String,
    company_name: String,
    vat_id: String,
    phone: String,
    address1: String,
    address2: String,
    city: String,
    state: String,
    postcode: String,
    country: String,
}

#[derive(Template)]
#[template(path = "client/signup.html")]
struct SignupPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    input: SignupForm,
}

fn signup_page(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    input: SignupForm,
) -> Result<HttpResponse, PageError> {
    let page = SignupPage {
        layout: Layout::new(&web.state, "Sign up"),
        csrf: web.csrf_token(Area::Client),
        form,
        input,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn signup_form(mut web: Web) -> Result<HttpResponse, PageError> {
    signup_page(
        &mut web,
        StatusCode::OK,
        FormState::default(),
        SignupForm::default(),
    )
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

pub async fn signup(mut web: Web, form: aw::Form<SignupForm>) -> Result<HttpResponse, PageError> {
    let mut form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let input = SignupInput {
        kind: form.kind.clone(),
        email: form.email.clone(),
        password: std::mem::take(&mut form.password),
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        company_name: optional(&form.company_name),
        company_number: None,
        vat_id: optional(&form.vat_id),
        phone: form.phone.clone(),
        address1: form.address1.clone(),
        address2: form.address2.clone(),
        city: form.city.clone(),
        state: form.state.clone(),
        postcode: form.postcode.clone(),
        country: form.country.clone(),
        currency: None,
    };
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let done = state
        .db
        .clone()
        .run(move |_| accounts::signup(&state.ctx(), input, &meta, now))
        .await;
    match done {
        Ok(()) => {
            web.state.wake_mailer();
            notice(
                &mut web,
                "Check your email",
                "Thanks. Check your email to confirm your address, then log in.",
                ("/login", "Log in"),
            )
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            signup_page(&mut web, status, problems, form)
        }
    }
}
