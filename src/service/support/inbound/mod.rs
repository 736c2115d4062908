//! Support mail in: what one arriving email means for the desk. Piped by
//! the MTA (`till tickets pipe`) or fetched from a department's IMAP
//! mailbox, it is threaded onto a ticket (the number in its subject, else
//! In-Reply-To/References naming a Message-ID of the thread) and posted
//! if its sender may write there; new mail to a department's address
//! opens a ticket for a known user, or follows `[support]
//! unknown_sender`. Machines never get an answer: automatic mail, our
//! own Message-IDs and mail from a department's own address are dropped.
//! Every email is recorded in `inbound_mail`, in the same transaction as
//! what it did, and the per-sender limits count from there, so they hold
//! across the processes a pipe starts.

mod answers;
mod deliver;
mod senders;

use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use crate::{
    config::Config,
    db::Db,
    domain::{support::number_in_subject, time::stamp},
    error::Result,
    integrations::mail_in::InboundMail,
    store::support::{
        inbound::{self, NewInbound},
        mailboxes, messages,
        tickets::{self, Ticket},
    },
};

/// How the email arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `till tickets pipe`: the department is the one it was sent to.
    Pipe,
    /// The department's IMAP mailbox: the department is that one.
    Imap { department_id: i64 },
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::Pipe => "pipe",
            Via::Imap { .. } => "imap",
        }
    }
}

/// Why an email went the way it did, as recorded (`inbound_mail.reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A reply posted on its ticket.
    Reply,
    /// A new ticket for a known user's account.
    NewTicket,
    /// A new ticket for an unknown sender (`unknown_sender = "open"`).
    GuestTicket,
    /// No usable From address.
    NoSender,
    /// Sent by a machine (auto-responder, list, bounce).
    Automatic,
    /// Its Message-ID is one of ours: our own mail came back.
    OwnMessage,
    /// From a department's own address (or `[mail] from`).
    FromUs,
    /// This Message-ID came in before.
    Duplicate,
    /// The sender's `[support] inbound_per_hour` is used up.
    RateLimited,
    /// The account's `[support] tickets_per_hour` is used up.
    TicketLimit,
    /// Not a reply, and to no department's address.
    UnknownAddress,
    /// A reply from someone who may not write on the ticket.
    NotAllowed,
    /// New mail from an address no account may open tickets for.
    UnknownSender,
    /// Larger than the size limit (never parsed).
    TooLarge,
    /// Not an email message.
    Unreadable,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Reply => "reply",
            Reason::NewTicket => "new_ticket",
            Reason::GuestTicket => "guest_ticket",
            Reason::NoSender => "no_sender",
            Reason::Automatic => "automatic",
            Reason::OwnMessage => "own_message",
            Reason::FromUs => "from_us",
            Reason::Duplicate => "duplicate",
            Reason::RateLimited => "rate_limited",
            Reason::TicketLimit => "ticket_limit",
            Reason::UnknownAddress => "unknown_address",
            Reason::NotAllowed => "not_allowed",
            Reason::UnknownSender => "unknown_sender",
            Reason::TooLarge => "too_large",
            Reason::Unreadable => "unreadable",
        }
    }
}

/// What became of an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    /// Posted on a ticket; `refused` names the files not attached.
    Posted {
        ticket_id: i64,
        number: String,
        refused: Vec<String>,
    },
    /// Opened a ticket.
    Opened {
        ticket_id: i64,
        number: String,
        refused: Vec<String>,
    },
    /// Not posted; the sender was told once, politely.
    Bounced(Reason),
    /// Not posted; nobody was told.
    Dropped(Reason),
}

impl Inbound {
    pub fn outcome(&self) -> &'static str {
        match self {
            Inbound::Posted { .. } => "posted",
            Inbound::Opened { .. } => "opened",
            Inbound::Bounced(_) => "bounced",
            Inbound::Dropped(_) => "dropped",
        }
    }
}

/// What an email did, as recorded with it.
pub(super) struct Done {
    inbound: Inbound,
    reason: Reason,
    department_id: Option<i64>,
    ticket_id: Option<i64>,
    message_row: Option<i64>,
    /// A reply went to the sender (what `bounces_per_day` counts).
    answered: bool,
}

/// Handle one parsed email (see the module's rules) at `now`.
pub fn receive(
    db: &Db,
    config: &Config,
    mail: &InboundMail,
    via: Via,
    now: Timestamp,
) -> Result<Inbound> {
    db.write(|tx| {
        let done = rules(tx, config, mail, via, now)?;
        let subject: String = mail.subject.chars().take(200).collect();
        inbound::insert(
            tx,
            &NewInbound {
                received_at: &stamp(now),
                via: via.as_str(),
                sender: mail.from.as_ref().map_or("", |f| f.address.as_str()),
                message_id: mail.message_id.as_deref(),
                subject: &subject,
                size: i64::try_from(mail.size).unwrap_or(i64::MAX),
                department_id: done.department_id,
                ticket_id: done.ticket_id,
                message_row: done.message_row,
                outcome: done.inbound.outcome(),
                reason: done.reason.as_str(),
                answered: done.answered,
            },
        )?;
        Ok(done.inbound)
    })
}

/// Record an email that could not be taken in at all (too large, or not
/// an email), so staff see it came.
pub fn refuse(db: &Db, via: Via, reason: Reason, size: usize, now: Timestamp) -> Result<Inbound> {
    db.write(|tx| {
        let department_id = match via {
            Via::Imap { department_id } => Some(department_id),
            Via::Pipe => None,
        };
        inbound::insert(
            tx,
            &NewInbound {
                received_at: &stamp(now),
                via: via.as_str(),
                sender: "",
                message_id: None,
                subject: "",
                size: i64::try_from(size).unwrap_or(i64::MAX),
                department_id,
                ticket_id: None,
                message_row: None,
                outcome: "dropped",
                reason: reason.as_str(),
                answered: false,
            },
        )?;
        Ok(Inbound::Dropped(reason))
    })
}

pub(super) fn dropped(reason: Reason, department_id: Option<i64>, ticket_id: Option<i64>) -> Done {
    Done {
        inbound: Inbound::Dropped(reason),
        reason,
        department_id,
        ticket_id,
        message_row: None,
        answered: false,
    }
}

fn rules(
    tx: &Connection,
    config: &Config,
    mail: &InboundMail,
    via: Via,
    now: Timestamp,
) -> Result<Done> {
    let Some(sender) = mail.from.as_ref() else {
        return Ok(dropped(Reason::NoSender, None, None));
    };
    if mail.automatic {
        return Ok(dropped(Reason::Automatic, None, None));
    }
    let own = format!("@{}>", super::notices::mail_host(config));
    if mail
        .message_id
        .as_deref()
        .is_some_and(|id| id.to_ascii_lowercase().ends_with(&own))
    {
        return Ok(dropped(Reason::OwnMessage, None, None));
    }
    if mailboxes::is_department_address(tx, &sender.address)?
        || answers::is_our_from(config, &sender.address)
    {
        return Ok(dropped(Reason::FromUs, None, None));
    }
    if let Some(id) = mail.message_id.as_deref()
        && (inbound::seen(tx, id)? || messages::ticket_of_email(tx, id)?.is_some())
    {
        return Ok(dropped(Reason::Duplicate, None, None));
    }
    let hour_ago = stamp(
        now.checked_sub(SignedDuration::from_hours(1))
            .unwrap_or(now),
    );
    if inbound::posts_since(tx, &sender.address, &hour_ago)?
        >= i64::from(config.support.inbound_per_hour)
    {
        return Ok(dropped(Reason::RateLimited, None, None));
    }
    let department_id = match via {
        Via::Imap { department_id } => Some(department_id),
        Via::Pipe => {
            let to: Vec<String> = mail.recipients().map(str::to_string).collect();
            mailboxes::department_for(tx, &to)?
        }
    };
    if let Some(ticket) = thread_of(tx, config, mail)? {
        return deliver::reply(tx, config, mail, sender, &ticket, now);
    }
    match department_id {
        Some(d) => deliver::open(tx, config, mail, sender, d, now),
        None => Ok(dropped(Reason::UnknownAddress, None, None)),
    }
}

/// The ticket an email answers: the number in its subject, else a
/// Message-ID it answers; a merged ticket's survivor.
fn thread_of(tx: &Connection, config: &Config, mail: &InboundMail) -> Result<Option<Ticket>> {
    let mut found = match number_in_subject(&config.support.ticket_prefix, &mail.subject) {
        Some(number) => tickets::find_by_number(tx, &number)?,
        None => None,
    };
    if found.is_none() {
        for id in mail.answers() {
            if let Some(t) = messages::ticket_of_email(tx, id)? {
                found = tickets::find(tx, t)?;
                break;
            }
        }
    }
    for _ in 0..8 {
        match found.as_ref().and_then(|t| t.merged_into_id) {
            Some(into) => found = tickets::find(tx, into)?,
            None => break,
        }
    }
    Ok(found)
}

/// What came in, newest first (`support:read`): a page of `per_page`
/// (at most 100) and the total.
pub fn log(
    db: &Db,
    staff: &crate::auth::principal::StaffPrincipal,
    page: i64,
    per_page: i64,
) -> Result<(Vec<inbound::InboundRow>, i64)> {
    staff.require(crate::domain::scopes::Scope::SupportRead)?;
    let per_page = per_page.clamp(1, 100);
    let offset = (page.max(1) - 1) * per_page;
    db.read(|c| Ok((inbound::recent(c, per_page, offset)?, inbound::count(c)?)))
}
