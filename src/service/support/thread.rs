//! A ticket with its thread, as one side may see it: a customer never gets
//! an internal note, or an attachment on one.

use rusqlite::Connection;

use crate::{
    error::Result,
    store::support::{
        attachments::{self, Attachment},
        messages::{self, Message},
        tickets::Ticket,
    },
};

#[derive(Debug, Clone)]
pub struct ThreadMessage {
    pub message: Message,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone)]
pub struct Thread {
    pub ticket: Ticket,
    pub messages: Vec<ThreadMessage>,
}

/// The ticket's thread; internal notes only when `with_notes` (staff).
pub fn load(conn: &Connection, ticket: Ticket, with_notes: bool) -> Result<Thread> {
    let msgs = messages::of_ticket(conn, ticket.id, with_notes)?;
    let mut files = attachments::of_ticket(conn, ticket.id)?;
    let messages = msgs
        .into_iter()
        .map(|message| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                files.drain(..).partition(|a| a.message_id == message.id);
            files = rest;
            ThreadMessage {
                message,
                attachments: mine,
            }
        })
        .collect();
    Ok(Thread { ticket, messages })
}
