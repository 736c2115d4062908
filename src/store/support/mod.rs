//! The support desk's tables: departments and who receives them, tickets
//! with their watchers, messages (replies and internal notes), attachments
//! (blobs in this file), canned replies, the full-text index, and mail
//! in: what arrived (`inbound`) and the departments' IMAP mailboxes.

pub mod attachments;
pub mod canned;
pub mod departments;
pub mod inbound;
pub mod mailboxes;
pub mod messages;
pub mod search;
pub mod tickets;
