//! Staff log in to the admin area and out again.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::CsrfForm;
use crate::{
    error::PageError,
    service::web_sessions,
    web::{
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
        .run(move |_| web_sessions::staff_login(&state, &email, &password, &meta, now))
        .await;
    match started {
        Ok(login) => {
            web.set_session(Area::Admin, login.secret);
            Ok(web.redirect("/admin"))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            login_page(&mut web, status, problems, form.email)
        }
    }
}

pub async fn logout(mut web: Web, form: aw::Form<CsrfForm>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    web.end_session(Area::Admin).await?;
    Ok(web.redirect("/admin/login"))
}
