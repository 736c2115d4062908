//! The client area: server-rendered pages (askama page structs next to
//! their handlers), embedded static files, and HTML error pages.

pub mod assets;
pub mod errors;
pub mod home;
pub mod layout;

use actix_web::{HttpResponse, web as aw};
use askama::Template;

use crate::error::{AppError, PageError};

/// The client area's and admin area's routes.
pub fn routes(cfg: &mut aw::ServiceConfig) {
    cfg.route("/", aw::get().to(home::page));
}

/// Render a page template into a 200 response.
pub fn render(page: &impl Template) -> Result<HttpResponse, PageError> {
    let html = page
        .render()
        .map_err(|e| AppError::internal(format!("template: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}
