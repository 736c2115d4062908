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

/// How an email joins a thread: its own From (a department's address),
/// its Message-ID, and the message it answers.
#[derive(Debug, Clone, Default)]
pub struct Threading {
    pub from: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
}

/// Render `email` and queue it for `to`.
pub fn queue<E: Email>(conn: &Connection, now: Timestamp, to: &str, email: &E) -> Result<i64> {
    queue_threaded(conn, now, to, email, &Threading::default())
}

/// Render `email` and queue it for `to`, in a thread.
pub fn queue_threaded<E: Email>(
    conn: &Connection,
    now: Timestamp,
    to: &str,
    email: &E,
    thread: &Threading,
) -> Result<i64> {
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
            from_address: thread.from.as_deref(),
            message_id: thread.message_id.as_deref(),
            in_reply_to: thread.in_reply_to.as_deref(),
            now: &stamp(now),
        },
    )?)
}
