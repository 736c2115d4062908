//! Who an email's sender is to the desk: someone who may write on a
//! ticket (its client's address, the user who opened it, the owner, a
//! contact who may see all the account's tickets, or a guest ticket's
//! own address), and, for new mail, whose account a ticket opens under.

use rusqlite::Connection;

use crate::{
    domain::{
        privileges::{Privilege, Privileges},
        support::Writer,
    },
    error::Result,
    integrations::mail_in::Sender,
    service::support::posting::Author,
    store::{clients, memberships, support::tickets::Ticket, users},
};

fn customer(user_id: Option<i64>, name: String) -> Author {
    Author {
        writer: Writer::Customer,
        user_id,
        staff_id: None,
        name,
    }
}

fn shown_name(sender: &Sender) -> String {
    sender
        .name
        .clone()
        .unwrap_or_else(|| sender.address.clone())
}

/// The active user with the sender's address.
fn user_of(conn: &Connection, sender: &Sender) -> Result<Option<users::User>> {
    Ok(users::find_by_email(conn, &sender.address)?.filter(|u| u.status == "active"))
}

/// The author a reply on `ticket` from `sender` is posted as, or `None`
/// when the sender may not write there.
pub(super) fn on_ticket(
    conn: &Connection,
    ticket: &Ticket,
    sender: &Sender,
) -> Result<Option<Author>> {
    let Some(client_id) = ticket.client_id else {
        let guest = ticket
            .guest_email
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(&sender.address));
        let name = ticket.guest_name.clone().filter(|n| !n.is_empty());
        return Ok(guest.then(|| customer(None, name.unwrap_or_else(|| shown_name(sender)))));
    };
    if let Some(user) = user_of(conn, sender)? {
        let opened_it = ticket.opened_by_user_id == Some(user.id);
        let member = memberships::find(conn, user.id, client_id)?.is_some_and(|m| {
            m.role == "owner"
                || Privileges::from_json(&m.privileges).contains(Privilege::SupportTickets)
        });
        if opened_it || member {
            return Ok(Some(customer(Some(user.id), user.name())));
        }
    }
    let client = clients::find(conn, client_id)?;
    Ok(client
        .filter(|c| c.email.eq_ignore_ascii_case(&sender.address))
        .map(|c| customer(None, c.display_name())))
}

/// The account a new ticket from `sender` opens under, with its author:
/// one they own first, else the first they are a contact of with "open
/// new tickets". `None` for anyone else.
pub(super) fn opener(conn: &Connection, sender: &Sender) -> Result<Option<(i64, Author)>> {
    let Some(user) = user_of(conn, sender)? else {
        return Ok(None);
    };
    for (client, role) in clients::for_user(conn, user.id)? {
        let may = role == "owner"
            || memberships::find(conn, user.id, client.id)?.is_some_and(|m| {
                Privileges::from_json(&m.privileges).contains(Privilege::SupportNewTicket)
            });
        if may && client.status == "active" {
            return Ok(Some((client.id, customer(Some(user.id), user.name()))));
        }
    }
    Ok(None)
}

/// A guest's author, as their email names them.
pub(super) fn guest(sender: &Sender) -> Author {
    customer(None, shown_name(sender))
}
