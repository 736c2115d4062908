//! The service page's control-panel forms: log in to the panel (single
//! sign-on) and set the panel password. The same checks and service
//! functions as the API's `login-url` and `change-password`; the password
//! is passed on to the module and never shown, stored or put in a URL.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

use crate::{
    error::AppError,
    service::{services::module_actions, services::service_actions},
    web::errors::PageError,
    web::{
        client::account::Account,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::Web,
    },
};

use super::detail;

/// The "continue" page (shared with card payments): a new navigation to
/// the panel, which the pages' `form-action 'self'` policy allows where it
/// would stop a form post redirected to another origin.
#[derive(Template)]
#[template(path = "client/redirect.html")]
struct ContinuePage {
    layout: Layout,
    title: String,
    text: String,
    url: String,
}

/// The service's id after the same check as the API: it belongs to the
/// account the browser works on and the user may see its services.
async fn service_id(web: &Web, account: &Account, wanted: &str) -> Result<i64, AppError> {
    let (principal, ident, wanted) = (
        account.principal.clone(),
        account.ident(),
        wanted.to_string(),
    );
    Ok(web
        .state
        .db
        .run(move |db| service_actions::get(db, &principal, &ident, &wanted))
        .await?
        .service
        .id)
}

/// What the page shows when a panel action did not work: form problems
/// as usual, and a panel that could not be reached as a message (its own
/// words stay in the log, not on the customer's page).
async fn failed(web: &mut Web, service: String, e: AppError) -> Result<HttpResponse, PageError> {
    let (status, form) = match e {
        AppError::BadGateway(ref m) | AppError::Unavailable(ref m) => {
            tracing::warn!(service = %service, error = %m, "panel action failed");
            (
                e.status(),
                FormState::with_message(
                    "The control panel could not be reached just now. Please try again later.",
                ),
            )
        }
        other => {
            let (status, form, _) = problem(other)?;
            (status, form)
        }
    };
    detail(web, service, status, form, None).await
}

/// `POST /account/services/{id}/panel-login`: a one-time login link into
/// the panel, followed through a page of our own.
pub async fn login(
    mut web: Web,
    account: Account,
    service: String,
) -> Result<HttpResponse, PageError> {
    let id = service_id(&web, &account, &service).await?;
    let state = web.state.clone();
    let url = module_actions::login_url(
        &state.db,
        &state.keys,
        &state.targets,
        &account.principal,
        &id.to_string(),
        state.now(),
    )
    .await;
    match url {
        Ok(url) if url.starts_with("https://") || url.starts_with("http://") => {
            let page = ContinuePage {
                layout: account.layout(&web, "Continue to the control panel"),
                title: "Continue to the control panel".into(),
                text: "Taking you to your control panel. If nothing happens, use the button below."
                    .into(),
                url,
            };
            Ok(web.html(StatusCode::OK, page_html(&page)?))
        }
        Ok(_) => {
            failed(
                &mut web,
                service,
                AppError::BadGateway("the panel gave no login link".into()),
            )
            .await
        }
        Err(e) => failed(&mut web, service, e).await,
    }
}

/// `POST /account/services/{id}/password`: a new panel password, typed
/// twice, under the API's rules.
pub async fn change_password(
    mut web: Web,
    account: Account,
    service: String,
    password: String,
    confirmation: String,
) -> Result<HttpResponse, PageError> {
    let id = service_id(&web, &account, &service).await?;
    if password != confirmation {
        let e = AppError::invalid("password_confirmation", "does not match the password");
        return failed(&mut web, service, e).await;
    }
    let state = web.state.clone();
    let done = module_actions::change_password(
        &state.db,
        &state.keys,
        &state.targets,
        &account.principal,
        &id.to_string(),
        &password,
        state.now(),
    )
    .await;
    match done {
        Ok(()) => Ok(web.redirect(&format!("/account/services/{service}?done=password"))),
        Err(e) => failed(&mut web, service, e).await,
    }
}
