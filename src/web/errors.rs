//! HTML error pages for browser routes.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

use super::layout::Layout;
use crate::error::{AppError, PageError};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: u16,
    reason: &'a str,
    message: &'a str,
}

/// An HTML page saying what went wrong, with the given status.
pub fn error_page(status: StatusCode, message: &str) -> HttpResponse {
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = ErrorPage {
        layout: Layout::bare(reason),
        status: status.as_u16(),
        reason,
        message,
    };
    let mut response = HttpResponse::build(status);
    match page.render() {
        Ok(html) => response.content_type("text/html; charset=utf-8").body(html),
        Err(_) => response
            .content_type("text/plain; charset=utf-8")
            .body(format!("{} {reason}\n{message}\n", status.as_u16())),
    }
}

/// Every browser path that matches no route.
pub async fn not_found() -> Result<HttpResponse, PageError> {
    Err(PageError::App(AppError::NotFound))
}
