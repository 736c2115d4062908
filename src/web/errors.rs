//! HTML error pages for browser routes.

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use askama::Template;

use super::layout::Layout;
use crate::error::AppError;

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

/// An `AppError` met by a browser: rendered as an HTML page; a page that
/// needs a login sends the browser to the login form instead.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("login required")]
    LoginRequired { login_path: &'static str },
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::App(e) => e.status(),
            PageError::LoginRequired { .. } => StatusCode::SEE_OTHER,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::App(e) => {
                e.log();
                let mut response = error_page(e.status(), &e.public_message());
                if let Some(secs) = e.retry_after() {
                    response.headers_mut().insert(
                        actix_web::http::header::RETRY_AFTER,
                        actix_web::http::header::HeaderValue::from(secs),
                    );
                }
                response
            }
            PageError::LoginRequired { login_path } => HttpResponse::SeeOther()
                .insert_header(("Location", *login_path))
                .finish(),
        }
    }
}
