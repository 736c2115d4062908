//! The account's support tickets: the list (filter by status, search),
//! opening one (department, related service, priority, files), the thread
//! with a reply form, closing and reopening, and attachments. The same
//! service functions as the API (`service::support::tickets`); another
//! account's ticket is a 404.

mod list;
mod open;
mod related;
mod thread;

pub use list::list;
pub use open::{create, new_form};
pub use related::related;
pub use thread::{attachment, reply, set_status, show};

/// Nothing but digits is a ticket id; anything else is a 404.
fn ticket_id(raw: &str) -> Result<i64, crate::web::errors::PageError> {
    raw.trim()
        .parse()
        .map_err(|_| crate::web::errors::PageError::App(crate::error::AppError::NotFound))
}
