//! Posting an email: its text and the attachments that pass the same
//! checks as uploads, through `posting` and `notices` as the API does.
//! Files over the limits are not attached; the message says which, and
//! the sender is told (within the answer limits).

use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use super::{Done, Inbound, Reason, answers, dropped, senders};
use crate::{
    config::{Config, UnknownSender},
    domain::{status::TicketPriority, time::stamp},
    error::{AppError, Result},
    integrations::mail_in::{InboundMail, Sender},
    service::{
        audit::{self, Actor, Event},
        support::{
            attachments::{self, CheckedFile, Upload},
            notices,
            posting::{self, Author, Delivery, Opening},
        },
    },
    store::support::tickets::{self, Ticket},
};

/// The files that pass, and a line for each that does not.
fn files(config: &Config, mail: &InboundMail) -> (Vec<CheckedFile>, Vec<String>) {
    let (mut kept, mut refused) = (Vec::new(), Vec::new());
    for f in &mail.attachments {
        if kept.len() >= config.support.max_attachments {
            refused.push(format!(
                "{}: at most {} files are attached to one message",
                attachments::safe_name(&f.file_name),
                config.support.max_attachments
            ));
            continue;
        }
        let upload = Upload {
            file_name: f.file_name.clone(),
            content: f.content.clone(),
        };
        match attachments::check(&config.support, vec![upload]) {
            Ok(mut ok) => kept.append(&mut ok),
            Err(AppError::Validation(e) | AppError::UploadTooLarge(e)) => {
                refused.extend(e.into_values().flatten());
            }
            Err(e) => refused.push(format!("{}: {e}", attachments::safe_name(&f.file_name))),
        }
    }
    // Named one by one up to a point, so the message stays in bounds.
    if refused.len() > MAX_NAMED {
        let more = refused.len() - MAX_NAMED;
        refused.truncate(MAX_NAMED);
        refused.push(format!("and {more} more files"));
    }
    (kept, refused)
}

/// At most this many refused files are named.
const MAX_NAMED: usize = 20;

/// The message as stored: the text (or a stand-in when there is none),
/// with a line naming the files not attached.
fn body(mail: &InboundMail, refused: &[String]) -> Result<String> {
    let mut text: String = mail.text.trim().chars().take(45_000).collect();
    if text.is_empty() {
        text = "(The email had no text.)".into();
    }
    if !refused.is_empty() {
        text.push_str("\n\n[Not attached: ");
        text.push_str(&refused.join("; "));
        text.push(']');
    }
    posting::clean_body(&text, "message")
}

fn delivery(mail: &InboundMail) -> Delivery<'_> {
    Delivery {
        source: "email",
        email_message_id: mail.message_id.as_deref(),
    }
}

fn audit(
    tx: &Connection,
    author: &Author,
    action: &str,
    ticket: &Ticket,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: author.user_id.map_or(Actor::System, Actor::User),
            action,
            subject: Some(("ticket", ticket.id)),
            client_id: ticket.client_id,
            ip: None,
            details: serde_json::json!({ "number": ticket.number, "via": "email" }),
        },
    )?;
    Ok(())
}

/// A reply on `ticket`: posted if the sender may write there, else a
/// bounce (once per ticket and day, within `bounces_per_day`).
pub(super) fn reply(
    tx: &Connection,
    config: &Config,
    mail: &InboundMail,
    sender: &Sender,
    ticket: &Ticket,
    now: Timestamp,
) -> Result<Done> {
    let Some(author) = super::senders::on_ticket(tx, ticket, sender)? else {
        return answers::bounce(
            tx,
            config,
            mail,
            sender,
            Reason::NotAllowed,
            ticket.department_id,
            Some(ticket.id),
            now,
        );
    };
    let (kept, refused) = files(config, mail);
    let text = body(mail, &refused)?;
    let Some((ticket, message)) =
        posting::reply(tx, ticket, &author, &text, &kept, &delivery(mail), now)?
    else {
        return Ok(dropped(
            Reason::Duplicate,
            Some(ticket.department_id),
            Some(ticket.id),
        ));
    };
    notices::customer_replied(tx, config, &ticket, &text, now)?;
    audit(tx, &author, "ticket.replied", &ticket, now)?;
    let answered = answers::files_refused(tx, config, mail, sender, &ticket, &refused, now)?;
    Ok(Done {
        inbound: Inbound::Posted {
            ticket_id: ticket.id,
            number: ticket.number.clone(),
            refused,
        },
        reason: Reason::Reply,
        department_id: Some(ticket.department_id),
        ticket_id: Some(ticket.id),
        message_row: Some(message),
        answered,
    })
}

/// New mail to department `department_id`: a ticket for a known user's
/// account, else `[support] unknown_sender` decides (a guest's ticket,
/// or a bounce).
pub(super) fn open(
    tx: &Connection,
    config: &Config,
    mail: &InboundMail,
    sender: &Sender,
    department_id: i64,
    now: Timestamp,
) -> Result<Done> {
    let (client_id, author, reason) = match senders::opener(tx, sender)? {
        Some((client, author)) => (Some(client), author, Reason::NewTicket),
        None if config.support.unknown_sender == UnknownSender::Open => {
            (None, senders::guest(sender), Reason::GuestTicket)
        }
        None => {
            return answers::bounce(
                tx,
                config,
                mail,
                sender,
                Reason::UnknownSender,
                department_id,
                None,
                now,
            );
        }
    };
    if let Some(client) = client_id {
        let hour_ago = stamp(
            now.checked_sub(SignedDuration::from_hours(1))
                .unwrap_or(now),
        );
        if tickets::opened_since(tx, client, &hour_ago)?
            >= i64::from(config.support.tickets_per_hour)
        {
            return Ok(dropped(Reason::TicketLimit, Some(department_id), None));
        }
    }
    let subject = posting::clean_subject(&mail.subject)
        .or_else(|_| posting::clean_subject(&mail.subject.chars().take(200).collect::<String>()))
        .unwrap_or_else(|_| "(no subject)".into());
    let (kept, refused) = files(config, mail);
    let text = body(mail, &refused)?;
    let guest = client_id
        .is_none()
        .then_some((author.name.as_str(), sender.address.as_str()));
    let opening = Opening {
        client_id,
        guest,
        department_id,
        subject: &subject,
        priority: TicketPriority::Medium,
        service_id: None,
        domain_id: None,
    };
    let (ticket, message) = posting::open(
        tx,
        config,
        &opening,
        &author,
        &text,
        &kept,
        &delivery(mail),
        now,
    )?;
    notices::opened(tx, config, &ticket, message, &text, now)?;
    audit(tx, &author, "ticket.opened", &ticket, now)?;
    let answered = answers::files_refused(tx, config, mail, sender, &ticket, &refused, now)?;
    Ok(Done {
        inbound: Inbound::Opened {
            ticket_id: ticket.id,
            number: ticket.number.clone(),
            refused,
        },
        reason,
        department_id: Some(department_id),
        ticket_id: Some(ticket.id),
        message_row: Some(message),
        answered,
    })
}
