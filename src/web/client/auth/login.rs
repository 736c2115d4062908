//! The login page and form.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    service::accounts::web_sessions::{self, WebLoginStep},
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

use super::after_login::{after_login, claim_cart};
use super::notice::notice_text;
use super::second_factor::SecondFactorPage;

#[derive(Template)]
#[template(path = "client/login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    email: String,
    notice: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    /// `/cart` from the cart page's inline login, or an invitation's page;
    /// nothing else is followed (`after_login`).
    next: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    notice: Option<String>,
}

pub(super) fn login_page(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    email: String,
    notice: Option<String>,
) -> Result<HttpResponse, PageError> {
    let page = LoginPage {
        layout: Layout::new(&web.state, "Log in"),
        csrf: web.csrf_token(Area::Client),
        form,
        email,
        notice,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn login_form(
    mut web: Web,
    query: aw::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    if web.client_session.is_some() {
        return Ok(web.redirect("/account"));
    }
    let notice = notice_text(query.notice.as_deref());
    login_page(
        &mut web,
        StatusCode::OK,
        FormState::default(),
        String::new(),
        notice,
    )
}

pub async fn login(mut web: Web, form: aw::Form<LoginForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let (email, password) = (form.email.clone(), form.password);
    let step = state
        .db
        .clone()
        .run(move |_| web_sessions::login(&state.ctx(), &email, &password, &meta, now))
        .await;
    match step {
        Ok(WebLoginStep::Done(login)) => {
            claim_cart(&web, &login.secret).await?;
            web.set_session(Area::Client, login.secret);
            Ok(web.redirect(&after_login(&form.next)))
        }
        Ok(WebLoginStep::SecondFactor { challenge }) => {
            let page = SecondFactorPage {
                layout: Layout::new(&web.state, "Two-factor authentication"),
                csrf: web.csrf_token(Area::Client),
                form: FormState::default(),
                challenge,
                action: "/login/2fa",
            };
            Ok(web.html(StatusCode::OK, page_html(&page)?))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            login_page(&mut web, status, problems, form.email, None)
        }
    }
}
