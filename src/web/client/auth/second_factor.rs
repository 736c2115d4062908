//! The second step of a login: the two-factor code page and form.

use actix_web::{HttpResponse, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    service::accounts::web_sessions,
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

use super::after_login::claim_cart;
use super::login::login_page;

#[derive(Template)]
#[template(path = "client/login_2fa.html")]
pub(crate) struct SecondFactorPage {
    pub layout: Layout,
    pub csrf: String,
    pub form: FormState,
    pub challenge: String,
    pub action: &'static str,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SecondFactorForm {
    csrf: String,
    challenge: String,
    code: String,
}

pub async fn second_factor(
    mut web: Web,
    form: aw::Form<SecondFactorForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let (challenge, code) = (form.challenge.clone(), form.code);
    let done = state
        .db
        .clone()
        .run(move |_| {
            web_sessions::complete_second_factor(&state.ctx(), &challenge, &code, &meta, now)
        })
        .await;
    match done {
        Ok(login) => {
            claim_cart(&web, &login.secret).await?;
            web.set_session(Area::Client, login.secret);
            Ok(web.redirect("/account"))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            // An expired challenge cannot be retried: start again.
            if problems.bad("challenge") {
                return login_page(&mut web, status, problems, String::new(), None);
            }
            let page = SecondFactorPage {
                layout: Layout::new(&web.state, "Two-factor authentication"),
                csrf: web.csrf_token(Area::Client),
                form: problems,
                challenge: form.challenge,
                action: "/login/2fa",
            };
            Ok(web.html(status, page_html(&page)?))
        }
    }
}
