//! The admin area: staff log in to `/admin` with their own session cookie,
//! separate from the client area's.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    error::PageError,
    service::{audit, web_sessions},
    store::audit::AuditRow,
    web::{
        form::{FormState, problem},
        layout::{Layout, Nav},
        page_html,
        session::{Area, Web},
    },
};

pub fn routes(cfg: &mut aw::ServiceConfig) {
    cfg.route("/admin", aw::get().to(home))
        .route("/admin/login", aw::get().to(login_form))
        .route("/admin/login", aw::post().to(login))
        .route("/admin/logout", aw::post().to(logout));
}

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

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    role: &'static str,
    events: Option<Vec<AuditRow>>,
}

pub async fn home(mut web: Web) -> Result<HttpResponse, PageError> {
    let (session, member) = web.staff()?;
    let (member, name, csrf) = (
        member.clone(),
        session.display_name.clone(),
        session.csrf.clone(),
    );
    let role = member.role.as_str();
    let events = web
        .state
        .db
        .run(move |db| Ok(audit::recent(db, &member, 20).ok()))
        .await?;
    let page = HomePage {
        layout: Layout::with_nav(
            &web.state,
            "Admin",
            Nav {
                area: "admin",
                name: name.clone(),
                csrf,
                clients: Vec::new(),
                active_client: 0,
            },
        ),
        name,
        role,
        events,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(mut web: Web, form: aw::Form<CsrfForm>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    web.end_session(Area::Admin).await?;
    Ok(web.redirect("/admin/login"))
}
