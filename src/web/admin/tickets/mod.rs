//! The support desk in the admin area: the ticket queue (by department,
//! status, assignee and priority, with counts), the ticket page (the
//! thread with internal notes, replies with canned text, notes, routing,
//! merging, watching), and the desk's departments and canned replies.
//! The same service functions as `/api/v1/tickets` and its scopes.

mod desk;
mod queue;
mod ticket;
mod ticket_actions;

pub use desk::{canned_delete, canned_save, department_save, desk};
pub use queue::queue;
pub use ticket::{attachment, show};
pub use ticket_actions::{merge, route, watch, write};
