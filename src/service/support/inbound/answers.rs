//! Answering a sender: the polite bounce (a reply that may not post, or
//! new mail from an address with no account), and the note that some
//! files were not attached. Each is a reply to a person, so each counts
//! against `[support] bounces_per_day`, and a bounce goes once a day per
//! ticket (or department) and reason. It quotes the sender's subject,
//! shortened, and nothing else they wrote.

use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use super::{Done, Inbound, Reason, dropped};
use crate::{
    config::Config,
    domain::time::stamp,
    error::Result,
    integrations::mail_in::{InboundMail, Sender},
    service::{
        email::{self, Branding, Threading},
        support::notices,
    },
    store::support::{departments, inbound, tickets::Ticket},
};

/// Whether `address` is `[mail] from`'s.
pub(super) fn is_our_from(config: &Config, address: &str) -> bool {
    config
        .mail
        .from
        .parse::<lettre::message::Mailbox>()
        .is_ok_and(|m| m.email.to_string().eq_ignore_ascii_case(address))
}

/// The sender's subject as quoted back: one line, at most 60 characters.
fn quoted(subject: &str) -> String {
    let s: String = subject.chars().take(60).collect();
    match (s.is_empty(), subject.chars().count() > 60) {
        (true, _) => "(no subject)".into(),
        (false, true) => format!("{s}…"),
        (false, false) => s,
    }
}

/// From the department's address, answering the email, with a
/// Message-ID of our host (so it is known as ours if it comes back).
fn threading(
    config: &Config,
    department: Option<departments::Department>,
    mail: &InboundMail,
) -> Threading {
    let nonce = crate::auth::random::token_hex();
    Threading {
        from: department.and_then(|d| d.email),
        message_id: Some(format!(
            "<mail-in.{}@{}>",
            &nonce[..16.min(nonce.len())],
            notices::mail_host(config)
        )),
        in_reply_to: mail.message_id.clone(),
    }
}

/// Whether `sender` may be answered at all today.
fn may_answer(tx: &Connection, config: &Config, sender: &Sender, now: Timestamp) -> Result<bool> {
    let day_ago = stamp(
        now.checked_sub(SignedDuration::from_hours(24))
            .unwrap_or(now),
    );
    Ok(inbound::answers_since(tx, &sender.address, &day_ago)?
        < i64::from(config.support.bounces_per_day))
}

/// Bounce the email (or, over the limits, drop it) for `reason`.
#[allow(clippy::too_many_arguments)]
pub(super) fn bounce(
    tx: &Connection,
    config: &Config,
    mail: &InboundMail,
    sender: &Sender,
    reason: Reason,
    department_id: i64,
    ticket_id: Option<i64>,
    now: Timestamp,
) -> Result<Done> {
    let day_ago = stamp(
        now.checked_sub(SignedDuration::from_hours(24))
            .unwrap_or(now),
    );
    let told = inbound::bounced_about(
        tx,
        &sender.address,
        ticket_id,
        Some(department_id),
        reason.as_str(),
        &day_ago,
    )?;
    if told || !may_answer(tx, config, sender, now)? {
        return Ok(dropped(reason, Some(department_id), ticket_id));
    }
    let department = departments::find(tx, department_id)?;
    let brand = Branding::from_config(config);
    let bounce = email::TicketMailBounce {
        link: brand.link("/login"),
        brand,
        subject: quoted(&mail.subject),
        department: department
            .as_ref()
            .map_or_else(String::new, |d| d.name.clone()),
        unknown_sender: reason == Reason::UnknownSender,
    };
    let thread = threading(config, department, mail);
    email::queue_threaded(tx, now, &sender.address, &bounce, &thread)?;
    Ok(Done {
        inbound: Inbound::Bounced(reason),
        reason,
        department_id: Some(department_id),
        ticket_id,
        message_row: None,
        answered: true,
    })
}

/// Tell the sender which files were not attached to their posted email;
/// answers whether they were told.
pub(super) fn files_refused(
    tx: &Connection,
    config: &Config,
    mail: &InboundMail,
    sender: &Sender,
    ticket: &Ticket,
    refused: &[String],
    now: Timestamp,
) -> Result<bool> {
    if refused.is_empty() || !may_answer(tx, config, sender, now)? {
        return Ok(false);
    }
    let department = departments::find(tx, ticket.department_id)?;
    let brand = Branding::from_config(config);
    let note = email::TicketFilesRefused {
        link: brand.link(&notices::client_path(ticket)),
        brand,
        number: ticket.number.clone(),
        subject: ticket.subject.clone(),
        refused: refused.to_vec(),
    };
    let thread = threading(config, department, mail);
    email::queue_threaded(tx, now, &sender.address, &note, &thread)?;
    Ok(true)
}
