//! What every page's layout needs, built once per request.

use super::assets;
use crate::app::AppState;

pub struct Layout {
    pub company_name: String,
    pub title: String,
    pub pico_css: String,
    pub till_css: String,
    pub htmx_js: String,
}

impl Layout {
    pub fn new(state: &AppState, title: impl Into<String>) -> Self {
        Self::with_company(state.config.company.name.clone(), title)
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
        }
    }
}
