//! A forgotten password: asking for the link and setting a new one.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    service::accounts,
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

use super::notice::notice;
use super::verify::{TokenForm, TokenQuery};

#[derive(Template)]
#[template(path = "client/forgot.html")]
struct ForgotPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    email: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    csrf: String,
    email: String,
}

pub async fn forgot_form(mut web: Web) -> Result<HttpResponse, PageError> {
    let page = ForgotPage {
        layout: Layout::new(&web.state, "Forgot your password?"),
        csrf: web.csrf_token(Area::Client),
        form: FormState::default(),
        email: String::new(),
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

pub async fn forgot(mut web: Web, form: aw::Form<ForgotForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let email = form.email.clone();
    let done = state
        .db
        .clone()
        .run(move |_| accounts::forgot_password(&state.ctx(), &email, &meta, now))
        .await;
    match done {
        Ok(()) => {
            web.state.wake_mailer();
            notice(
                &mut web,
                "Check your email",
                "If that email has an account, a link to reset its password is on its way.",
                ("/login", "Back to log in"),
            )
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            let page = ForgotPage {
                layout: Layout::new(&web.state, "Forgot your password?"),
                csrf: web.csrf_token(Area::Client),
                form: problems,
                email: form.email,
            };
            Ok(web.html(status, page_html(&page)?))
        }
    }
}

#[derive(Template)]
#[template(path = "client/reset.html")]
struct ResetPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    token: String,
}

pub async fn reset_form(
    mut web: Web,
    query: aw::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let page = ResetPage {
        layout: Layout::new(&web.state, "Choose a new password"),
        csrf: web.csrf_token(Area::Client),
        form: FormState::default(),
        token: query.into_inner().token,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

pub async fn reset(mut web: Web, form: aw::Form<TokenForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let (token, password) = (form.token.clone(), form.password);
    let done = state
        .db
        .clone()
        .run(move |_| accounts::reset_password(&state.ctx(), &token, &password, &meta, now))
        .await;
    match done {
        Ok(()) => {
            web.state.wake_mailer();
            // Every session ended, this browser's too.
            web.clear_session(Area::Client);
            Ok(web.redirect("/login?notice=reset"))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            let page = ResetPage {
                layout: Layout::new(&web.state, "Choose a new password"),
                csrf: web.csrf_token(Area::Client),
                form: problems,
                token: form.token,
            };
            Ok(web.html(status, page_html(&page)?))
        }
    }
}
