//! Logging in and out, signing up, confirming an email address and
//! resetting a forgotten password: the client area's pages before login.
//! Each calls the same service function as its API twin.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    service::{
        accounts::{self, SignupInput},
        carts,
        web_sessions::{self, WebLoginStep},
    },
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "client/login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    email: String,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "client/login_2fa.html")]
pub(crate) struct SecondFactorPage {
    pub layout: Layout,
    pub csrf: String,
    pub form: FormState,
    pub challenge: String,
    pub action: &'static str,
}

#[derive(Template)]
#[template(path = "client/notice.html")]
pub(crate) struct NoticePage {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
    pub link_href: String,
    pub link_text: String,
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
#[serde(default)]
pub struct SecondFactorForm {
    csrf: String,
    challenge: String,
    code: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    notice: Option<String>,
}

fn login_page(
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

/// Notices the login page shows after a redirect; only these fixed texts,
/// never text from the query string.
fn notice_text(key: Option<&str>) -> Option<String> {
    match key? {
        "verified" => Some("Your email address is confirmed. Please log in.".into()),
        "reset" => Some("Your password was changed. Please log in with the new one.".into()),
        "logged_out" => Some("You are logged out.".into()),
        _ => None,
    }
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

/// Where a login goes next: back to the cart or to an invitation's page
/// when the form came from there, else the account. Only these local
/// paths, never one from elsewhere (no open redirect).
fn after_login(next: &str) -> String {
    let token_ok = |t: &str| {
        !t.is_empty()
            && t.len() <= 100
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    match next {
        "/cart" => "/cart".into(),
        n if n.strip_prefix("/invitation?token=").is_some_and(token_ok) => n.into(),
        _ => "/account".into(),
    }
}

/// A guest's cart becomes the user's when they log in.
async fn claim_cart(web: &Web, secret: &str) -> Result<(), PageError> {
    let Some(cart) = web.cart.clone() else {
        return Ok(());
    };
    let (secret, meta, now) = (secret.to_string(), web.meta.clone(), web.state.now());
    web.state
        .db
        .run(move |db| {
            if let Some(s) = web_sessions::authenticate(db, &secret, &meta, now)? {
                carts::claim(db, &s.principal, &cart, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
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

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn logout(mut web: Web, form: aw::Form<CsrfOnly>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    web.end_session(Area::Client).await?;
    Ok(web.redirect("/login?notice=logged_out"))
}

/// The sign-up form's fields as typed, to show them again.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct SignupForm {
    csrf: String,
    kind: String,
    email: String,
    password: String,
    first_name: String,
    last_name: String,
    company_name: String,
    vat_id: String,
    phone: String,
    address1: String,
    address2: String,
    city: String,
    state: String,
    postcode: String,
    country: String,
}

#[derive(Template)]
#[template(path = "client/signup.html")]
struct SignupPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    input: SignupForm,
}

fn signup_page(
    web: &mut Web,
    status: StatusCode,
    form: FormState,
    input: SignupForm,
) -> Result<HttpResponse, PageError> {
    let page = SignupPage {
        layout: Layout::new(&web.state, "Sign up"),
        csrf: web.csrf_token(Area::Client),
        form,
        input,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn signup_form(mut web: Web) -> Result<HttpResponse, PageError> {
    signup_page(
        &mut web,
        StatusCode::OK,
        FormState::default(),
        SignupForm::default(),
    )
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

pub async fn signup(mut web: Web, form: aw::Form<SignupForm>) -> Result<HttpResponse, PageError> {
    let mut form = form.into_inner();
    web.check_csrf(Area::Client, &form.csrf)?;
    let input = SignupInput {
        kind: form.kind.clone(),
        email: form.email.clone(),
        password: std::mem::take(&mut form.password),
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        company_name: optional(&form.company_name),
        company_number: None,
        vat_id: optional(&form.vat_id),
        phone: form.phone.clone(),
        address1: form.address1.clone(),
        address2: form.address2.clone(),
        city: form.city.clone(),
        state: form.state.clone(),
        postcode: form.postcode.clone(),
        country: form.country.clone(),
        currency: None,
    };
    let (state, meta, now) = (web.state.clone(), web.meta.clone(), web.state.now());
    let done = state
        .db
        .clone()
        .run(move |_| accounts::signup(&state.ctx(), input, &meta, now))
        .await;
    match done {
        Ok(()) => {
            web.state.wake_mailer();
            notice(
                &mut web,
                "Check your email",
                "Thanks. Check your email to confirm your address, then log in.",
                ("/login", "Log in"),
            )
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            signup_page(&mut web, status, problems, form)
        }
    }
}

pub(crate) fn notice(
    web: &mut Web,
    heading: &str,
    message: &str,
    (href, text): (&str, &str),
) -> Result<HttpResponse, PageError> {
    let page = NoticePage {
        layout: Layout::new(&web.state, heading),
        heading: heading.into(),
        message: message.into(),
        link_href: href.into(),
        link_text: text.into(),
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    csrf: String,
    token: String,
    password: String,
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
