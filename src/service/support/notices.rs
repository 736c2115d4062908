//! What a ticket's events tell people, in the caller's transaction:
//! emails to the customer (from the department's address, threaded by
//! Message-ID and In-Reply-To, with the reply's text and never a note),
//! portal notices for staff replies (kind `ticket_*`), and alerts to the
//! department's staff, the assignee and the watchers.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    config::Config,
    domain::support::priority_label,
    error::Result,
    service::{
        email::{self, Branding, Email, Threading},
        notifications,
    },
    store::{
        clients, staff as staff_store,
        support::{departments, messages, tickets},
        users,
    },
};

/// The ticket's page in the client area, and in the admin area.
pub fn client_path(ticket: &tickets::Ticket) -> String {
    format!("/account/tickets/{}", ticket.id)
}

pub fn admin_path(ticket: &tickets::Ticket) -> String {
    format!("/admin/tickets/{}", ticket.id)
}

/// The host our Message-IDs end in: the public URL's, so a reply quoting
/// one is recognised as ours.
pub fn mail_host(config: &Config) -> String {
    let base = config.base_url();
    let rest = base.split_once("://").map_or(base.as_str(), |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    if host.is_empty() {
        "till.invalid".into()
    } else {
        host.to_ascii_lowercase()
    }
}

/// A fresh Message-ID for a message of the ticket.
fn new_message_id(config: &Config, ticket: &tickets::Ticket, message_id: i64) -> String {
    let nonce = crate::auth::random::token_hex();
    format!(
        "<{}.{message_id}.{}@{}>",
        ticket.number.to_ascii_lowercase(),
        &nonce[..12.min(nonce.len())],
        mail_host(config)
    )
}

/// Who on the customer's side hears of a ticket: the account's address,
/// the contact who opened it, or the guest.
fn customer_recipients(tx: &Connection, ticket: &tickets::Ticket) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    if let Some(client) = ticket
        .client_id
        .map(|id| clients::find(tx, id))
        .transpose()?
        .flatten()
    {
        out.push((client.first_name.clone(), client.email.clone()));
    }
    if let Some(user) = ticket
        .opened_by_user_id
        .map(|id| users::find(tx, id))
        .transpose()?
        .flatten()
        && !out.iter().any(|(_, e)| e.eq_ignore_ascii_case(&user.email))
    {
        out.push((user.first_name.clone(), user.email.clone()));
    }
    if let Some(guest) = &ticket.guest_email {
        out.push((ticket.guest_name.clone().unwrap_or_default(), guest.clone()));
    }
    Ok(out)
}

/// The department's staff, the assignee and the watchers, once each,
/// without whoever caused the event; disabled staff hear nothing.
fn staff_recipients(
    tx: &Connection,
    ticket: &tickets::Ticket,
    except: Option<i64>,
) -> Result<Vec<String>> {
    let mut ids = departments::staff_ids(tx, ticket.department_id)?;
    ids.extend(ticket.assigned_staff_id);
    ids.extend(tickets::watchers(tx, ticket.id)?);
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids.into_iter().filter(|id| Some(*id) != except) {
        if let Some(s) = staff_store::find(tx, id)?.filter(|s| s.disabled_at.is_none()) {
            out.push(s.email);
        }
    }
    Ok(out)
}

/// Queue `mail` (made per recipient name) to the customer side, in the
/// ticket's thread, and record the Message-ID on the message.
fn to_customer<E: Email>(
    tx: &Connection,
    config: &Config,
    ticket: &tickets::Ticket,
    message_id: Option<i64>,
    now: Timestamp,
    mail: impl Fn(String) -> E,
) -> Result<()> {
    let department = departments::find(tx, ticket.department_id)?;
    let in_reply_to = messages::last_email_id(tx, ticket.id)?;
    let id = new_message_id(config, ticket, message_id.unwrap_or(0));
    let thread = Threading {
        from: department.and_then(|d| d.email),
        message_id: Some(id.clone()),
        in_reply_to,
    };
    for (name, address) in customer_recipients(tx, ticket)? {
        email::queue_threaded(tx, now, &address, &mail(name), &thread)?;
    }
    if let Some(m) = message_id {
        messages::set_email_id(tx, m, &id)?;
    }
    Ok(())
}

fn client_label(tx: &Connection, ticket: &tickets::Ticket) -> Result<String> {
    Ok(
        match ticket
            .client_id
            .map(|id| clients::find(tx, id))
            .transpose()?
            .flatten()
        {
            Some(c) => match &c.company_name {
                Some(co) if !co.is_empty() => format!("{} {} ({co})", c.first_name, c.last_name),
                _ => format!("{} {}", c.first_name, c.last_name),
            },
            None => ticket.guest_email.clone().unwrap_or_default(),
        },
    )
}

fn alert_staff(
    tx: &Connection,
    config: &Config,
    ticket: &tickets::Ticket,
    event: &str,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    let brand = Branding::from_config(config);
    let alert = email::TicketStaffAlert {
        link: brand.link(&admin_path(ticket)),
        brand,
        number: ticket.number.clone(),
        subject: ticket.subject.clone(),
        department: ticket.department_name.clone(),
        client: client_label(tx, ticket)?,
        event: event.into(),
        priority: priority_label(ticket.priority).into(),
        body: body.into(),
    };
    for address in staff_recipients(tx, ticket, None)? {
        email::queue(tx, now, &address, &alert)?;
    }
    Ok(())
}

/// A new ticket: the auto-reply (if the department sends one) and the
/// staff's alert.
pub fn opened(
    tx: &Connection,
    config: &Config,
    ticket: &tickets::Ticket,
    message_id: i64,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    let auto_reply = departments::find(tx, ticket.department_id)?.is_some_and(|d| d.auto_reply);
    if auto_reply {
        let brand = Branding::from_config(config);
        to_customer(tx, config, ticket, Some(message_id), now, |name| {
            email::TicketOpened {
                brand: brand.clone(),
                name,
                number: ticket.number.clone(),
                subject: ticket.subject.clone(),
                department: ticket.department_name.clone(),
                link: brand.link(&client_path(ticket)),
            }
        })?;
    }
    alert_staff(tx, config, ticket, "New ticket", body, now)
}

/// The customer wrote again: the staff hear of it.
pub fn customer_replied(
    tx: &Connection,
    config: &Config,
    ticket: &tickets::Ticket,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    alert_staff(tx, config, ticket, "Customer reply", body, now)
}

/// Staff answered: the customer gets the text by email and a portal notice.
pub fn staff_replied(
    tx: &Connection,
    config: &Config,
    ticket: &tickets::Ticket,
    message_id: i64,
    author: &str,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    let brand = Branding::from_config(config);
    to_customer(tx, config, ticket, Some(message_id), now, |name| {
        email::TicketReply {
            brand: brand.clone(),
            name,
            number: ticket.number.clone(),
            subject: ticket.subject.clone(),
            author: author.into(),
            body: body.into(),
            link: brand.link(&client_path(ticket)),
        }
    })?;
    if let Some(client_id) = ticket.client_id {
        notifications::notify(
            tx,
            client_id,
            "ticket_reply",
            &format!("New reply on {}", ticket.number),
            &format!("{author} answered \"{}\".", ticket.subject),
            &client_path(ticket),
            now,
        )?;
    }
    Ok(())
}

/// The ticket's status changed for a reason the customer should hear.
pub fn status_changed(
    tx: &Connection,
    config: &Config,
    ticket: &tickets::Ticket,
    what: &str,
    now: Timestamp,
) -> Result<()> {
    let brand = Branding::from_config(config);
    to_customer(tx, config, ticket, None, now, |name| {
        email::TicketStatusChanged {
            brand: brand.clone(),
            name,
            number: ticket.number.clone(),
            subject: ticket.subject.clone(),
            what: what.into(),
            link: brand.link(&client_path(ticket)),
        }
    })
}
