//! Staff log in to the admin area and out again.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::CsrfForm;
use crate::{
    service::accounts::web_sessions::{self, WebLoginStep},
    web::errors::PageError,
    web::{
        client::auth::SecondFactorPage,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    email: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

fn login_page(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    email: String,
) -> Result<HttpResponse, PageError> {
    let page = LoginPage {
        layout: Layout::new(&web.state, "Staff login"),
        csrf: web.csrf_token(Area::Admin),
        form,
        email,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn login_form(mut web: Web) -> Result<HttpResponse, PageError> {
    if web.admin_session.is_some() {
        return Ok(web.redirect("/admin"));
    }
    login_page(
        &mut web,
        StatusCode::OK,
        FormState::default(),
        String::new(),
    )
}

pub async fn login(mut web: Web, form: aw::Form<LoginForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Admin, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let (email, password) = (form.email.clone(), form.password);
    let started = web
        .state
        .db
        .run(move |_| web_sessions::staff_login(&state.ctx(), &email, &password, &meta, now))
        .await;
    match started {
        Ok(WebLoginStep::Done(login)) => {
            web.set_session(Area::Admin, login.secret);
            Ok(web.redirect("/admin"))
        }
        Ok(WebLoginStep::SecondFactor { challenge }) => {
            code_page(&mut web, StatusCode::OK, FormState::default(), challenge)
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            login_page(&mut web, status, problems, form.email)
        }
    }
}

/// The code form of a staff login (the client area's page, posting here).
fn code_page(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    challenge: String,
) -> Result<HttpResponse, PageError> {
    let page = SecondFactorPage {
        layout: Layout::new(&web.state, "Two-factor authentication"),
        csrf: web.csrf_token(Area::Admin),
        form,
        challenge,
        action: "/admin/login/2fa",
    };
    Ok(web.html(status, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SecondFactorForm {
    csrf: String,
    challenge: String,
    code: String,
}

/// The second step of a staff login: a code from the app or a recovery
/// code.
pub async fn second_factor(
    mut web: Web,
    form: aw::Form<SecondFactorForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Admin, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let (challenge, code) = (form.challenge.clone(), form.code);
    let done = web
        .state
        .db
        .run(move |_| {
            web_sessions::complete_staff_second_factor(&state.ctx(), &challenge, &code, &meta, now)
        })
        .await;
    match done {
        Ok(login) => {
            web.set_session(Area::Admin, login.secret);
            Ok(web.redirect("/admin"))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            if problems.bad("challenge") {
                return login_page(&mut web, status, problems, String::new());
            }
            code_page(&mut web, status, problems, form.challenge)
        }
    }
}

pub async fn logout(mut web: Web, form: aw::Form<CsrfForm>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    web.end_session(Area::Admin).await?;
    Ok(web.redirect("/admin/login"))
}
