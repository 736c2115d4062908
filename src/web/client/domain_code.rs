//! "Show the auth code" on the domain page: a POST with its CSRF token
//! asks the registrar now (`service::domains::epp_codes`, the account's
//! owner only) and the code is shown on the page that answers, never in a
//! URL and never stored. A registrar that is down or refuses re-renders
//! the page with its reason.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use serde::Deserialize;

use super::{account, domains::detail};
use crate::{
    error::AppError,
    service::domains::epp_codes,
    web::{
        errors::PageError,
        form::{FormState, problem_or_down},
        session::{Area, Web},
    },
};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    csrf: String,
}

pub async fn reveal(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CodeForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = account::load(&web).await?;
    let id: i64 = path
        .trim()
        .parse()
        .map_err(|_| PageError::App(AppError::NotFound))?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let reg = web.state.registry();
    let (meta, now) = (web.meta.clone(), web.state.now());
    match epp_codes::reveal(&reg, &principal, &ident, id, &meta, now).await {
        Ok(code) => {
            detail(
                &mut web,
                id,
                StatusCode::OK,
                FormState::default(),
                None,
                None,
                Some(code),
            )
            .await
        }
        Err(e) => {
            let (status, problems) = problem_or_down(e)?;
            detail(&mut web, id, status, problems, None, None, None).await
        }
    }
}
