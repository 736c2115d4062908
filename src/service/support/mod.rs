//! The support desk: departments, tickets and their thread (replies,
//! internal notes, attachments), what customers and staff do with them,
//! the emails and portal notices they cause, canned replies, search,
//! closing tickets nobody answered, and mail in (`inbound`: what an
//! arriving email does; `mailboxes`: the departments' IMAP mailboxes).
//! Customers reach tickets through `access::client_access` and the
//! support privileges; staff through the `support:*` scopes. Internal
//! notes never leave the staff functions.

pub mod attachments;
pub mod auto_close;
pub mod canned;
pub mod departments;
pub mod inbound;
pub mod mailboxes;
pub mod merging;
mod notices;
pub mod posting;
pub mod staff_open;
pub mod staff_tickets;
pub mod thread;
pub mod tickets;

pub use attachments::Upload;
pub use thread::{Thread, ThreadMessage};
