//! The client area and the admin area: server-rendered pages (askama page
//! structs next to their handlers), browser sessions and CSRF, embedded
//! static files, and HTML error pages.

pub mod admin;
pub mod assets;
pub mod client;
pub mod errors;
pub mod form;
pub mod home;
pub mod layout;
pub mod session;

use actix_web::{HttpResponse, web as aw};
use askama::Template;

use crate::{error::AppError, web::errors::PageError};

/// The client area's and admin area's routes.
pub fn routes(cfg: &mut aw::ServiceConfig) {
    cfg.route("/", aw::get().to(home::page));
    client::routes(cfg);
    admin::routes(cfg);
}

/// Render a page template to HTML.
pub fn page_html(page: &impl Template) -> Result<String, PageError> {
    page.render()
        .map_err(|e| PageError::App(AppError::internal(format!("template: {e}"))))
}

/// Render a page template into a 200 response.
pub fn render(page: &impl Template) -> Result<HttpResponse, PageError> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page_html(page)?))
}
