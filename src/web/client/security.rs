//! The security page: change the password, turn two-factor authentication
//! on (QR code, then recovery codes shown once) or off, and see and end
//! the login's sessions, browser and API alike.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    error::AppError,
    service::{accounts, accounts::clients, accounts::sessions, accounts::two_factor},
    store::{sessions::Session, two_factor::Holder},
    web::errors::PageError,
    web::{
        client::account::{self, Account},
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "client/security.html")]
struct SecurityPage {
    layout: Layout,
    csrf: String,
    notice: Option<&'static str>,
    password_form: FormState,
    two_factor_form: FormState,
    two_factor_on: bool,
    sessions: Vec<Session>,
    current_session: i64,
}

/// Which form on the page a problem belongs to.
enum Problem {
    None,
    Password(FormState),
    TwoFactor(FormState),
}

async fn page(
    web: &mut Web,
    account: &Account,
    status: StatusCode,
    notice: Option<&'static str>,
    problem: Problem,
) -> Result<HttpResponse, PageError> {
    let (user_id, now) = (account.user_id, web.state.now());
    let (user, sessions) = web
        .state
        .db
        .run(move |db| {
            let (user, _) = clients::me(db, user_id)?;
            Ok((user, sessions::list(db, user_id, now)?))
        })
        .await?;
    let (password_form, two_factor_form) = match problem {
        Problem::None => (FormState::default(), FormState::default()),
        Problem::Password(f) => (f, FormState::default()),
        Problem::TwoFactor(f) => (FormState::default(), f),
    };
    let page = SecurityPage {
        layout: account.layout(web, "Security"),
        csrf: account.csrf.clone(),
        notice,
        password_form,
        two_factor_form,
        two_factor_on: user.two_factor_enabled(),
        sessions,
        current_session: account.session_id,
    };
    Ok(web.html(status, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(mut web: Web, query: aw::Query<DoneQuery>) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let notice = match query.done.as_deref() {
        Some("password") => Some("Your password was changed. Your other sessions were ended."),
        Some("2fa_off") => Some("Two-factor authentication is off."),
        Some("revoked") => Some("The session was ended."),
        _ => None,
    };
    page(&mut web, &account, StatusCode::OK, notice, Problem::None).await
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    mut web: Web,
    form: aw::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = account::load(&web).await?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let (user_id, session_id) = (account.user_id, account.session_id);
    let done = web
        .state
        .db
        .run(move |_| {
            accounts::change_password(
                &state.ctx(),
                user_id,
                session_id,
                &form.current_password,
                &form.new_password,
                &meta,
                now,
            )
        })
        .await;
    match done {
        Ok(()) => {
            web.state.wake_mailer();
            Ok(web.redirect("/account/security?done=password"))
        }
        Err(e) => {
            let (status, mut problems, retry) = problem(e)?;
            web.retry_after = retry;
            // The service names the field `password`; the form has two.
            if let Some(m) = problems.errors.remove("password") {
                problems.errors.insert("new_password".into(), m);
            }
            page(
                &mut web,
                &account,
                status,
                None,
                Problem::Password(problems),
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    csrf: String,
    code: String,
}

/// The set-up page, shared with the admin area (`base` is where its
/// security page lives).
#[derive(Template)]
#[template(path = "client/two_factor_setup.html")]
pub(crate) struct SetupPage {
    pub layout: Layout,
    pub csrf: String,
    pub form: FormState,
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
    pub base: &'static str,
}

const BASE: &str = "/account/security";

/// Start setting up 2FA: a new secret, shown as a QR code. A POST, since it
/// stores the pending secret.
pub async fn setup(mut web: Web, form: aw::Form<CodeForm>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = account::load(&web).await?;
    let (state, now, user_id) = (web.state.clone(), web.state.now(), account.user_id);
    let started = web
        .state
        .db
        .run(move |_| two_factor::setup(&state.ctx(), Holder::User(user_id), now))
        .await;
    match started {
        Ok(s) => {
            let page = SetupPage {
                layout: account.layout(&web, "Set up two-factor authentication"),
                csrf: account.csrf.clone(),
                form: FormState::default(),
                secret: s.secret,
                otpauth_url: s.otpauth_url,
                qr_svg: s.qr_svg,
                base: BASE,
            };
            Ok(web.html(StatusCode::OK, page_html(&page)?))
        }
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            page(
                &mut web,
                &account,
                status,
                None,
                Problem::TwoFactor(problems),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "client/recovery_codes.html")]
pub(crate) struct RecoveryCodesPage {
    pub layout: Layout,
    pub codes: Vec<String>,
    pub base: &'static str,
}

pub async fn enable(mut web: Web, form: aw::Form<CodeForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = account::load(&web).await?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let user_id = account.user_id;
    let code = form.code.clone();
    let enabled = web
        .state
        .db
        .run(move |_| two_factor::enable(&state.ctx(), Holder::User(user_id), &code, &meta, now))
        .await;
    match enabled {
        Ok(codes) => {
            let page = RecoveryCodesPage {
                layout: account.layout(&web, "Your recovery codes"),
                codes,
                base: BASE,
            };
            Ok(web.html(StatusCode::OK, page_html(&page)?))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            // Show the same secret again: the app already holds it.
            let state = web.state.clone();
            let pending = web
                .state
                .db
                .run(move |_| two_factor::pending(&state.ctx(), Holder::User(user_id)))
                .await;
            let Ok(s) = pending else {
                return page(
                    &mut web,
                    &account,
                    status,
                    None,
                    Problem::TwoFactor(problems),
                )
                .await;
            };
            let page = SetupPage {
                layout: account.layout(&web, "Set up two-factor authentication"),
                csrf: account.csrf.clone(),
                form: problems,
                secret: s.secret,
                otpauth_url: s.otpauth_url,
                qr_svg: s.qr_svg,
                base: BASE,
            };
            Ok(web.html(status, page_html(&page)?))
        }
    }
}

pub async fn disable(mut web: Web, form: aw::Form<CodeForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = account::load(&web).await?;
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let user_id = account.user_id;
    let code = form.code;
    let done = web
        .state
        .db
        .run(move |_| two_factor::disable(&state.ctx(), Holder::User(user_id), &code, &meta, now))
        .await;
    match done {
        Ok(()) => Ok(web.redirect("/account/security?done=2fa_off")),
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            page(
                &mut web,
                &account,
                status,
                None,
                Problem::TwoFactor(problems),
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn revoke_session(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let account = account::load(&web).await?;
    let id: i64 = path.parse().map_err(|_| AppError::NotFound)?;
    let (meta, now, user_id) = (web.meta.clone(), web.state.now(), account.user_id);
    web.state
        .db
        .run(move |db| sessions::revoke(db, user_id, id, &meta, now))
        .await?;
    if id == account.session_id {
        web.clear_session(Area::Client);
        return Ok(web.redirect("/login?notice=logged_out"));
    }
    Ok(web.redirect("/account/security?done=revoked"))
}
