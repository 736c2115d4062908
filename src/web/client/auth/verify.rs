//! Confirming an email address from its link.

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

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    pub(super) token: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    pub(super) csrf: String,
    pub(super) token: String,
    pub(super) password: String,
}

#[derive(Template)]
#[template(path = "client/verify_email.html")]
struct VerifyPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    token: String,
}

/// The link in the email opens a page with a button: a GET changes nothing
/// (mail scanners follow links), the POST confirms.
pub async fn verify_form(
    mut web: Web,
    query: aw::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let page = VerifyPage {
        layout: Layout::new(&web.state, "Confirm your email address"),
        csrf: web.csrf_token(Area::Client),
        form: FormState::default(),
        token: query.into_inner().token,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

pub async fn verify(mut web: Web, form: aw::Form<TokenForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let token = form.token.clone();
    let done = state
        .db
        .clone()
        .run(move |_| accounts::verify_email(&state.ctx(), &token, &meta, now))
        .await;
    match done {
        Ok(()) => Ok(web.redirect(if web.client_session.is_some() {
            "/account"
        } else {
            "/login?notice=verified"
        })),
        Err(e) => {
            let (status, mut problems, _) = problem(e)?;
            problems.message =
                Some("This link is invalid or has expired. Log in to ask for a new one.".into());
            let page = VerifyPage {
                layout: Layout::new(&web.state, "Confirm your email address"),
                csrf: web.csrf_token(Area::Client),
                form: problems,
                token: form.token,
            };
            Ok(web.html(status, page_html(&page)?))
        }
    }
}
