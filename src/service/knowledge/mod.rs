//! The knowledgebase and news: what readers see (public, or for logged-in
//! readers only; a hidden article is a 404 on every surface), search and
//! related articles, "was this helpful" votes, and what staff write
//! (`support:read` to read everything, `support:write` to change it, each
//! change with its audit row). Markdown is rendered and sanitized by
//! `domain::markdown`; nothing else is ever shown as HTML.
//!
//! This wing uses only the shared rooms and `accounts`.

pub mod articles;
pub mod categories;
mod fields;
pub mod news;
pub mod sample;
pub mod search;
pub mod votes;

pub use search::related;

use crate::{auth::principal::Principal, domain::markdown};

/// Who is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Nobody logged in.
    Anonymous,
    /// A logged-in customer.
    User(i64),
    /// A staff member (an API key on a reader's route).
    Staff,
}

impl Reader {
    pub fn of(principal: Option<&Principal>) -> Reader {
        match principal {
            None => Reader::Anonymous,
            Some(Principal::User(u)) => Reader::User(u.user_id),
            Some(Principal::Staff(_)) => Reader::Staff,
        }
    }

    /// Whether `logged_in` articles are for this reader.
    pub fn logged_in(self) -> bool {
        self != Reader::Anonymous
    }
}

/// Markdown as it will be shown: the editors' preview.
pub fn preview(markdown_text: &str) -> markdown::SafeHtml {
    markdown::render(markdown_text)
}
