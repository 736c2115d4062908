//! The logged-in client area: which account the browser works on, the
//! dashboard, and switching between a user's accounts.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    auth::principal::Principal,
    domain::money::Money,
    error::AppError,
    service::client_feed::FeedEvent,
    service::{access::ClientAccess, accounts::clients, accounts::web_sessions, notifications},
    store::notifications::Notification,
    web::errors::PageError,
    web::{
        layout::{Layout, Nav},
        page_html,
        session::{Area, Web},
    },
};

/// A logged-in customer working on one of their accounts.
pub struct Account {
    pub principal: Principal,
    pub user_id: i64,
    pub session_id: i64,
    pub csrf: String,
    pub access: ClientAccess,
    nav_clients: Vec<(i64, String)>,
    name: String,
}

impl Account {
    /// The client id as the service functions take it.
    pub fn ident(&self) -> String {
        self.access.client.id.to_string()
    }

    pub fn layout(&self, web: &Web, title: &str) -> Layout {
        Layout::with_nav(
            &web.state,
            title,
            Nav {
                area: "client",
                name: self.name.clone(),
                csrf: self.csrf.clone(),
                clients: self.nav_clients.clone(),
                active_client: self.access.client.id,
            },
        )
    }
}

/// The account this browser session works on: the one chosen with the
/// switcher while the user still belongs to it, else their first.
pub async fn load(web: &Web) -> Result<Account, PageError> {
    let (session, user) = web.user()?;
    let (principal, user_id) = (session.principal.clone(), user.user_id);
    let for_lookup = principal.clone();
    let (session_id, chosen) = (session.session.id, session.session.active_client_id);
    let csrf = session.csrf.clone();
    let name = session.display_name.clone();
    let (access, nav_clients) = web
        .state
        .db
        .run(move |db| {
            let (_, memberships) = clients::me(db, user_id)?;
            let active = memberships
                .iter()
                .find(|(c, _)| Some(c.id) == chosen)
                .or(memberships.first())
                .map(|(c, _)| c.id)
                // A login that belongs to no account any more.
                .ok_or(AppError::Forbidden)?;
            let access = clients::get(db, &for_lookup, &active.to_string())?;
            let nav = memberships
                .iter()
                .map(|(c, _)| (c.id, c.display_name()))
                .collect();
            Ok((access, nav))
        })
        .await?;
    Ok(Account {
        principal,
        user_id,
        session_id,
        csrf,
        access,
        nav_clients,
        name,
    })
}

#[derive(Template)]
#[template(path = "client/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    client_name: String,
    client_number: i64,
    status: String,
    role: String,
    contacts: i64,
    credit: Option<String>,
    events: Vec<FeedEvent>,
    can_see_events: bool,
    /// This account's notifications not read yet, as far as the user's
    /// privileges show them.
    notices: Vec<Notification>,
    csrf: String,
}

pub async fn dashboard(mut web: Web) -> Result<HttpResponse, PageError> {
    let account = load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let client_id = account.access.client.id;
    let (access, overview, events, notices) = web
        .state
        .db
        .run(move |db| {
            let (access, overview, events) = clients::dashboard(db, &principal, &ident)?;
            let notices = notifications::list_for_client(db, &principal, client_id, true)?;
            Ok((access, overview, events, notices))
        })
        .await?;
    let page = DashboardPage {
        layout: account.layout(&web, "Dashboard"),
        client_name: access.client.display_name(),
        client_number: access.client.id,
        status: access.client.status.clone(),
        role: access.role().to_string(),
        contacts: overview.contacts,
        credit: overview
            .credit_balance
            .map(|b| Money::new(b, &access.client.currency_code).formatted),
        can_see_events: access.can(crate::domain::privileges::Privilege::MiscEmails),
        events,
        notices,
        csrf: account.csrf.clone(),
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SwitchForm {
    csrf: String,
    client: String,
}

pub async fn switch(mut web: Web, form: aw::Form<SwitchForm>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let (session, user) = web.user()?;
    let (session_id, user_id) = (session.session.id, user.user_id);
    // Someone else's account id is a 404, like everywhere.
    let client_id: i64 = form.client.trim().parse().map_err(|_| AppError::NotFound)?;
    web.state
        .db
        .run(move |db| web_sessions::switch_client(db, session_id, user_id, client_id))
        .await?;
    Ok(web.redirect("/account"))
}

/// Mark a notification read (someone else's, or one the user's privileges
/// do not show, is a 404).
pub async fn ack_notice(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<SwitchForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let (session, _) = web.user()?;
    let principal = session.principal.clone();
    let id: i64 = path.parse().map_err(|_| AppError::NotFound)?;
    let now = web.state.now();
    web.state
        .db
        .run(move |db| notifications::ack(db, &principal, id, now))
        .await?;
    Ok(web.redirect("/account"))
}
