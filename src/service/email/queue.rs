//! The `Email` trait and queueing a rendered email in the outbox.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::time::stamp,
    error::{AppError, Result},
    store::outbox,
};

/// An email till sends.
pub trait Email {
    /// The template name, kept in the outbox for the email log.
    const TEMPLATE: &'static str;
    fn subject(&self) -> String;
    fn text(&self) -> std::result::Result<String, askama::Error>;
    fn html(&self) -> std::result::Result<String, askama::Error>;
}

/// Render `email` and queue it for `to`.
pub fn queue<E: Email>(conn: &Connection, now: Timestamp, to: &str, email: &E) -> Result<i64> {
    let render = |e: askama::Error| AppError::internal(format!("email {}: {e}", E::TEMPLATE));
    let text = email.text().map_err(render)?;
    let html = email.html().map_err(render)?;
    Ok(outbox::insert(
        conn,
        &outbox::NewEmail {
            template: E::TEMPLATE,
            to_address: to,
            subject: &email.subject(),
            text_body: &text,
            html_body: Some(&html),
            now: &stamp(now),
        },
    )?)
}
