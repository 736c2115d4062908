//! The page an invitation's link opens (`service::accounts::invitations`): accept
//! with a click when logged in as the invited address, log in first when
//! the address has a login, or choose a password when it has none. GET
//! only shows; every change is a POST with its CSRF token.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    error::AppError,
    service::{
        accounts::invitations::{self, InvitationView, NewLogin, Next},
        accounts::web_sessions,
    },
    web::errors::PageError,
    web::{
        client::auth::NoticePage,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "client/invitation.html")]
struct InvitationPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    token: String,
    invitation: InvitationView,
    accept: bool,
    log_in: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

fn viewer(web: &Web) -> Option<i64> {
    web.user().ok().map(|(_, u)| u.user_id)
}

async fn render(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    token: String,
) -> Result<HttpResponse, PageError> {
    let (state, who, now, t) = (
        web.state.clone(),
        viewer(web),
        web.state.now(),
        token.clone(),
    );
    let found = web
        .state
        .db
        .run(move |_| invitations::lookup(&state.ctx(), &t, who, now))
        .await;
    let invitation = match found {
        Ok(i) => i,
        Err(AppError::Validation(_)) => return gone(web),
        Err(e) => return Err(e.into()),
    };
    let page = InvitationPage {
        layout: Layout::new(&web.state, "Your invitation"),
        csrf: web.csrf_token(Area::Client),
        form,
        token,
        accept: invitation.next == Next::Accept,
        log_in: invitation.next == Next::LogIn,
        invitation,
    };
    Ok(web.html(status, page_html(&page)?))
}

fn gone(web: &mut Web) -> Result<HttpResponse, PageError> {
    let page = NoticePage {
        layout: Layout::new(&web.state, "Invitation"),
        heading: "This invitation cannot be used".into(),
        message: "The link is invalid, was used already, was withdrawn or has expired. \
                  Ask whoever invited you to send a new one."
            .into(),
        link_href: "/login".into(),
        link_text: "Log in".into(),
    };
    Ok(web.html(StatusCode::NOT_FOUND, page_html(&page)?))
}

pub async fn show(mut web: Web, query: aw::Query<TokenQuery>) -> Result<HttpResponse, PageError> {
    let token = query.into_inner().token;
    render(&mut web, StatusCode::OK, FormState::default(), token).await
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    token: String,
    first_name: String,
    last_name: String,
    password: String,
}

/// Accept by choosing a password; the new login is logged in at once.
pub async fn set_password(
    mut web: Web,
    form: aw::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let token = form.token.clone();
    let login = NewLogin {
        first_name: Some(form.first_name),
        last_name: Some(form.last_name),
        password: form.password,
    };
    let done = web
        .state
        .db
        .run(move |_| {
            let (user, client) =
                invitations::accept_with_password(&state.ctx(), &token, login, &meta, now)?;
            web_sessions::start_for_user(&state.ctx(), user, client, &meta, now)
        })
        .await;
    match done {
        Ok(session) => {
            web.set_session(Area::Client, session.secret);
            Ok(web.redirect("/account"))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            render(&mut web, status, problems, form.token).await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    csrf: String,
    token: String,
}

/// Accept as the logged-in user; the account joined becomes the one the
/// browser works on.
pub async fn accept(mut web: Web, form: aw::Form<AcceptForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let (session, user) = web.user()?;
    let (session_id, user_id) = (session.session.id, user.user_id);
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let token = form.token.clone();
    let done = web
        .state
        .db
        .run(move |db| {
            let client = invitations::accept_as(&state.ctx(), &token, user_id, &meta, now)?;
            web_sessions::switch_client(db, session_id, user_id, client)
        })
        .await;
    match done {
        Ok(()) => Ok(web.redirect("/account")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            render(&mut web, status, problems, form.token).await
        }
    }
}
