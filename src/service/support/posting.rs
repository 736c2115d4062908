//! Writing on the desk, shared by the customer, staff and mail paths:
//! a new ticket with its first message, and a message on a ticket with
//! its attachments and the status it moves the ticket to. Callers check
//! who may do it; this is what doing it means.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    config::Config,
    domain::{
        status::{TicketPriority, TicketStatus},
        support::{Writer, after_reply, ticket_number},
        time::stamp,
    },
    error::{AppError, Result},
    store::support::{
        messages::{self, NewMessage},
        tickets::{self, NewTicket, Ticket},
    },
};

use super::attachments::{self, CheckedFile};

/// Who writes: their side, their ids and the name shown on the message.
#[derive(Debug, Clone)]
pub struct Author {
    pub writer: Writer,
    pub user_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub name: String,
}

/// What arrives with a message besides its text.
#[derive(Debug, Clone, Default)]
pub struct Delivery<'a> {
    /// `web`, `api` or `email`.
    pub source: &'a str,
    /// The Message-ID it came with (mail).
    pub email_message_id: Option<&'a str>,
}

/// A subject as stored: one line, trimmed, 1 to 200 characters.
pub fn clean_subject(raw: &str) -> Result<String> {
    let one_line: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let s = one_line.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() || s.chars().count() > 200 {
        return Err(AppError::invalid(
            "subject",
            "give a subject of 1 to 200 characters",
        ));
    }
    Ok(s)
}

/// A message body as stored: trimmed, 1 to 50,000 characters, no NULs.
pub fn clean_body(raw: &str, field: &str) -> Result<String> {
    let s = raw.replace('\0', "").replace("\r\n", "\n");
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 50_000 {
        return Err(AppError::invalid(
            field,
            "write a message of 1 to 50,000 characters",
        ));
    }
    Ok(s.to_string())
}

/// A priority as sent: none is medium, any case of a known word is it.
pub fn priority(raw: Option<&str>) -> Result<TicketPriority> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(TicketPriority::Medium),
        Some(p) => p
            .to_ascii_lowercase()
            .parse()
            .map_err(|_| AppError::invalid("priority", "choose low, medium, high or urgent")),
    }
}

/// A ticket to open; subject and body already cleaned.
pub struct Opening<'a> {
    pub client_id: Option<i64>,
    pub guest: Option<(&'a str, &'a str)>,
    pub department_id: i64,
    pub subject: &'a str,
    pub priority: TicketPriority,
    pub service_id: Option<i64>,
    pub domain_id: Option<i64>,
}

/// Open a ticket under a fresh random number (drawn again on the rare
/// collision) with its first message. Answers the ticket and the message id.
#[allow(clippy::too_many_arguments)]
pub fn open(
    tx: &Connection,
    config: &Config,
    o: &Opening<'_>,
    author: &Author,
    body: &str,
    files: &[CheckedFile],
    delivery: &Delivery<'_>,
    now: Timestamp,
) -> Result<(Ticket, i64)> {
    let at = stamp(now);
    let status = match author.writer {
        Writer::Customer => TicketStatus::Open,
        Writer::Staff => TicketStatus::Answered,
    };
    let mut id = None;
    for _ in 0..20 {
        let number = ticket_number(&config.support.ticket_prefix, rand::random::<u32>());
        id = tickets::insert(
            tx,
            &NewTicket {
                number: &number,
                client_id: o.client_id,
                guest_email: o.guest.map(|g| g.1),
                guest_name: o.guest.map(|g| g.0),
                opened_by_user_id: author.user_id,
                department_id: o.department_id,
                subject: o.subject,
                status,
                priority: o.priority,
                service_id: o.service_id,
                domain_id: o.domain_id,
                now: &at,
            },
        )?;
        if id.is_some() {
            break;
        }
    }
    let id = id.ok_or_else(|| AppError::internal("no free ticket number after 20 draws"))?;
    let message = write(tx, id, author, body, false, files, delivery, &at)?
        .ok_or_else(|| AppError::Conflict("this email was posted already".into()))?;
    let ticket = tickets::find(tx, id)?.ok_or(AppError::NotFound)?;
    Ok((ticket, message))
}

#[allow(clippy::too_many_arguments)]
fn write(
    tx: &Connection,
    ticket_id: i64,
    author: &Author,
    body: &str,
    internal: bool,
    files: &[CheckedFile],
    delivery: &Delivery<'_>,
    at: &str,
) -> Result<Option<i64>> {
    let author_type = match author.writer {
        Writer::Customer => "client",
        Writer::Staff => "staff",
    };
    let id = messages::insert(
        tx,
        &NewMessage {
            ticket_id,
            internal,
            author_type,
            user_id: author.user_id,
            staff_id: author.staff_id,
            author_name: &author.name,
            body,
            source: delivery.source,
            email_message_id: delivery.email_message_id,
            now: at,
        },
    )?;
    if let Some(id) = id {
        attachments::store(tx, id, files, at)?;
    }
    Ok(id)
}

/// A reply on `ticket`: the ticket moves on (a customer's reply reopens
/// it, staff's answers it). `None` when the same email came twice.
pub fn reply(
    tx: &Connection,
    ticket: &Ticket,
    author: &Author,
    body: &str,
    files: &[CheckedFile],
    delivery: &Delivery<'_>,
    now: Timestamp,
) -> Result<Option<(Ticket, i64)>> {
    let at = stamp(now);
    let Some(message) = write(tx, ticket.id, author, body, false, files, delivery, &at)? else {
        return Ok(None);
    };
    tickets::replied(
        tx,
        ticket.id,
        after_reply(author.writer),
        author.writer == Writer::Staff,
        &at,
    )?;
    let ticket = tickets::find(tx, ticket.id)?.ok_or(AppError::NotFound)?;
    Ok(Some((ticket, message)))
}

/// An internal note: staff only, and the ticket's status stays.
pub fn note(
    tx: &Connection,
    ticket: &Ticket,
    author: &Author,
    body: &str,
    files: &[CheckedFile],
    now: Timestamp,
) -> Result<i64> {
    let at = stamp(now);
    write(
        tx,
        ticket.id,
        author,
        body,
        true,
        files,
        &Delivery {
            source: "web",
            email_message_id: None,
        },
        &at,
    )?
    .ok_or_else(|| AppError::internal("a note without a Message-ID conflicted"))
}
