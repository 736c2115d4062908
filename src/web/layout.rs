//! What every page's layout needs, built once per request.

use super::assets;
use crate::state::AppState;

pub struct Layout {
    pub company_name: String,
    pub title: String,
    pub pico_css: String,
    pub till_css: String,
    pub htmx_js: String,
    /// The logged-in person's navigation, if any.
    pub nav: Option<Nav>,
}

/// The navigation bar of a logged-in page.
pub struct Nav {
    /// `client` or `admin`.
    pub area: &'static str,
    pub name: String,
    /// The session's CSRF token, for the logout and switch forms.
    pub csrf: String,
    /// The accounts the user can switch between (id, name).
    pub clients: Vec<(i64, String)>,
    pub active_client: i64,
}

/// The admin area's pages in its navigation bar: (path, label).
pub const ADMIN_LINKS: [(&str, &str); 10] = [
    ("/admin/tickets", "Tickets"),
    ("/admin/support", "Support desk"),
    ("/admin/tasks", "Tasks"),
    ("/admin/domains", "Domains"),
    ("/admin/servers", "Servers"),
    ("/admin/knowledgebase", "Knowledgebase"),
    ("/admin/news", "News"),
    ("/admin/emails", "Emails"),
    ("/admin/jobs", "Jobs"),
    ("/admin/security", "Security"),
];

impl Nav {
    /// A staff member's navigation bar in the admin area.
    pub fn admin(name: String, csrf: String) -> Self {
        Nav {
            area: "admin",
            name,
            csrf,
            clients: Vec::new(),
            active_client: 0,
        }
    }

    /// The area's page links (the admin area's; the client area lists its
    /// own in the template).
    pub fn links(&self) -> &'static [(&'static str, &'static str)] {
        if self.area == "admin" {
            &ADMIN_LINKS
        } else {
            &[]
        }
    }
}

impl Layout {
    pub fn new(state: &AppState, title: impl Into<String>) -> Self {
        Self::with_company(state.config.company.name.clone(), title)
    }

    /// A page with a logged-in navigation bar.
    pub fn with_nav(state: &AppState, title: impl Into<String>, nav: Nav) -> Self {
        let mut layout = Self::new(state, title);
        layout.nav = Some(nav);
        layout
    }

    /// For pages rendered without the application state (error pages).
    pub fn bare(title: impl Into<String>) -> Self {
        Self::with_company(String::new(), title)
    }

    fn with_company(company_name: String, title: impl Into<String>) -> Self {
        Self {
            company_name,
            title: title.into(),
            pico_css: assets::url("css/pico.min.css"),
            till_css: assets::url("css/till.css"),
            htmx_js: assets::url("js/htmx.min.js"),
            nav: None,
        }
    }
}
