//! The admin area: staff log in to `/admin` with their own session cookie,
//! separate from the client area's, and see and act on what the automation
//! does (module tasks, servers, the email log, job runs). Every page checks
//! the same scope as the matching API endpoint, through the same service
//! function.

mod domain_actions;
mod domains;
mod emails;
mod home;
mod jobs;
mod knowledge;
pub mod listing;
mod login;
mod security;
mod server_edit;
mod server_form;
mod servers;
mod services;
mod tasks;
mod tickets;

use actix_web::web as aw;
use serde::Deserialize;

use crate::{
    auth::principal::StaffPrincipal,
    domain::scopes::Scope,
    error::AppError,
    store::two_factor::Holder,
    web::errors::PageError,
    web::{
        layout::{Layout, Nav},
        session::Web,
    },
};

pub fn routes(cfg: &mut aw::ServiceConfig) {
    knowledge::routes(cfg);
    cfg.route("/admin", aw::get().to(home::page))
        .route("/admin/login", aw::get().to(login::login_form))
        .route("/admin/login", aw::post().to(login::login))
        .route("/admin/login/2fa", aw::post().to(login::second_factor))
        .route("/admin/logout", aw::post().to(login::logout))
        .route("/admin/security", aw::get().to(security::show))
        .route("/admin/security/2fa/setup", aw::post().to(security::setup))
        .route(
            "/admin/security/2fa/enable",
            aw::post().to(security::enable),
        )
        .route(
            "/admin/security/2fa/disable",
            aw::post().to(security::disable),
        )
        .route(
            "/admin/security/settings",
            aw::post().to(security::save_settings),
        )
        .route("/admin/tasks", aw::get().to(tasks::list))
        .route("/admin/tasks/{task}/retry", aw::post().to(tasks::retry))
        .route("/admin/services/{service}", aw::get().to(services::show))
        .route("/admin/domains", aw::get().to(domains::list))
        .route("/admin/domains/{domain}", aw::get().to(domains::show))
        .route("/admin/domains/{domain}/sync", aw::post().to(domains::sync))
        .route(
            "/admin/domains/{domain}/registered",
            aw::post().to(domains::mark_registered),
        )
        .route(
            "/admin/domains/{domain}/tasks/{task}/retry",
            aw::post().to(domains::retry),
        )
        .route(
            "/admin/domains/{domain}/epp-code",
            aw::post().to(domain_actions::epp_code),
        )
        .route(
            "/admin/domains/{domain}/{action}",
            aw::post().to(domain_actions::switch),
        )
        .route("/admin/servers", aw::get().to(servers::list))
        .route("/admin/server-groups", aw::post().to(servers::create_group))
        .route("/admin/servers/new", aw::get().to(server_edit::new_form))
        .route("/admin/servers/new", aw::post().to(server_edit::create))
        .route(
            "/admin/servers/{server}",
            aw::get().to(server_edit::edit_form),
        )
        .route(
            "/admin/servers/{server}",
            aw::post().to(server_edit::update),
        )
        .route(
            "/admin/servers/{server}/test",
            aw::post().to(server_edit::test),
        )
        .route("/admin/tickets", aw::get().to(tickets::queue))
        .route("/admin/tickets/{ticket}", aw::get().to(tickets::show))
        .route(
            "/admin/tickets/{ticket}/route",
            aw::post().to(tickets::route),
        )
        .route(
            "/admin/tickets/{ticket}/merge",
            aw::post().to(tickets::merge),
        )
        .route(
            "/admin/tickets/{ticket}/watch",
            aw::post().to(tickets::watch),
        )
        .route(
            "/admin/tickets/{ticket}/attachments/{file}",
            aw::get().to(tickets::attachment),
        )
        .route(
            "/admin/tickets/{ticket}/{kind}",
            aw::post().to(tickets::write),
        )
        .route("/admin/support", aw::get().to(tickets::desk))
        .route(
            "/admin/support/departments",
            aw::post().to(tickets::department_save),
        )
        .route(
            "/admin/support/departments/{id}",
            aw::post().to(tickets::department_save),
        )
        .route("/admin/support/canned", aw::post().to(tickets::canned_save))
        .route(
            "/admin/support/canned/{id}",
            aw::post().to(tickets::canned_save),
        )
        .route(
            "/admin/support/canned/{id}/delete",
            aw::post().to(tickets::canned_delete),
        )
        .route("/admin/emails", aw::get().to(emails::list))
        .route("/admin/jobs", aw::get().to(jobs::list));
}

/// The logged-in staff member a page works for.
pub struct Staff {
    pub member: StaffPrincipal,
    pub csrf: String,
    name: String,
    /// Staff must use two-factor authentication and this member has not
    /// set it up: only the security page opens.
    pub must_enroll: bool,
}

/// Where a member who must set up two-factor authentication is sent.
const ENROLL_PATH: &str = "/admin/security";

impl Staff {
    /// The staff member of this browser, or off to the admin login form
    /// (or to setting up two-factor authentication, when they must).
    pub fn of(web: &Web) -> Result<Staff, PageError> {
        let staff = Self::enrolling(web)?;
        if staff.must_enroll {
            // The login is not complete until the second factor is set up.
            return Err(PageError::LoginRequired {
                login_path: ENROLL_PATH,
            });
        }
        Ok(staff)
    }

    /// The staff member, even one who must still set up 2FA (the security
    /// page's own handlers).
    pub fn enrolling(web: &Web) -> Result<Staff, PageError> {
        let (session, member) = web.staff()?;
        Ok(Staff {
            member: member.clone(),
            csrf: session.csrf.clone(),
            name: session.display_name.clone(),
            must_enroll: session.needs_two_factor,
        })
    }

    /// Whose second factor this member's is.
    pub fn holder(&self) -> Holder {
        Holder::Staff(self.member.staff_id)
    }

    /// A page layout with the admin navigation.
    pub fn layout(&self, web: &Web, title: &str) -> Layout {
        Layout::with_nav(
            &web.state,
            title,
            Nav::admin(self.name.clone(), self.csrf.clone()),
        )
    }

    /// Whether to offer a form that needs `scope` (its service function
    /// checks again).
    pub fn may(&self, scope: Scope) -> bool {
        self.member.require(scope).is_ok()
    }

    /// Refuse a page that only makes sense with `scope`, as its API would.
    pub fn require(&self, scope: Scope) -> Result<(), PageError> {
        Ok(self.member.require(scope)?)
    }
}

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// A numeric id from the path; anything else is not found.
fn id_of(raw: &str) -> Result<i64, PageError> {
    raw.parse().map_err(|_| PageError::App(AppError::NotFound))
}
