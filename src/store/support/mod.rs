//! The support desk's tables: departments and who receives them, tickets
//! with their watchers, messages (replies and internal notes), attachments
//! (blobs in this file), canned replies, and the full-text index.

pub mod attachments;
pub mod canned;
pub mod departments;
pub mod messages;
pub mod search;
pub mod tickets;
