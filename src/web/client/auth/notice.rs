//! The notice page the other flows end on.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

use crate::{
    web::errors::PageError,
    web::{layout::Layout, page_html, session::Web},
};

#[derive(Template)]
#[template(path = "client/notice.html")]
pub(crate) struct NoticePage {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
    pub link_href: String,
    pub link_text: String,
}

/// Notices the login page shows after a redirect; only these fixed texts,
/// never text from the query string.
pub(super) fn notice_text(key: Option<&str>) -> Option<String> {
    match key? {
        "verified" => Some("Your email address is confirmed. Please log in.".into()),
        "reset" => Some("Your password was changed. Please log in with the new one.".into()),
        "logged_out" => Some("You are logged out.".into()),
        _ => None,
    }
}

pub(crate) fn notice(
    web: &mut Web,
    heading: &str,
    message: &str,
    (href, text): (&str, &str),
) -> Result<HttpResponse, PageError> {
    let page = NoticePage {
        layout: Layout::new(&web.state, heading),
        heading: heading.into(),
        message: message.into(),
        link_href: href.into(),
        link_text: text.into(),
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
