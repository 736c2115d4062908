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

/// One heading of the admin area's menu and its pages: (path, label).
pub type MenuSection = (&'static str, &'static [(&'static str, &'static str)]);

/// The admin area's menu, by what a reseller is doing. Every page of the
/// admin area is reachable from here; a page's address never changes.
pub const ADMIN_MENU: [MenuSection; 5] = [
    (
        "Clients",
        &[
            ("/admin/clients", "Clients"),
            ("/admin/orders", "Orders"),
            ("/admin/services", "Services"),
            ("/admin/domains", "Domains"),
        ],
    ),
    (
        "Billing",
        &[
            ("/admin/invoices", "Invoices"),
            ("/admin/reports", "Reports"),
        ],
    ),
    (
        "Catalog",
        &[
            ("/admin/products", "Products"),
            ("/admin/addons", "Addons"),
            ("/admin/options", "Configurable options"),
            ("/admin/tlds", "TLDs"),
            ("/admin/promotions", "Promotions"),
            ("/admin/currencies", "Currencies"),
            ("/admin/taxes", "Taxes"),
            ("/admin/payment-methods", "Payment methods"),
        ],
    ),
    (
        "Support",
        &[
            ("/admin/tickets", "Tickets"),
            ("/admin/support", "Support desk"),
            ("/admin/knowledgebase", "Knowledgebase"),
            ("/admin/news", "News"),
        ],
    ),
    (
        "System",
        &[
            ("/admin/settings", "Settings"),
            ("/admin/staff", "Staff"),
            ("/admin/api-keys", "API keys"),
            ("/admin/audit-log", "Audit log"),
            ("/admin/tasks", "Tasks"),
            ("/admin/servers", "Servers"),
            ("/admin/emails", "Emails"),
            ("/admin/jobs", "Jobs"),
            ("/admin/security", "Security"),
        ],
    ),
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

    /// The area's menu (the admin area's; the client area lists its own
    /// links in the template).
    pub fn menu(&self) -> &'static [MenuSection] {
        if self.area == "admin" {
            &ADMIN_MENU
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
