//! Telling a client about their domain: the email and the portal
//! notification go together, in the caller's transaction (notification
//! kinds `domain_*`, shown to contacts with the domains privilege).

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    error::{AppError, Result},
    service::{
        billing::{self, format_money},
        email::{self, Branding},
        notifications,
    },
    store::{
        clients::{self, Client},
        domains::Domain,
        invoices::Invoice,
    },
};

/// The domain's page in the client area.
pub fn domain_path(domain: &Domain) -> String {
    format!("/account/domains/{}", domain.id)
}

/// What the portal notification of a notice says.
struct Notice {
    kind: String,
    title: String,
    body: String,
}

/// Tell the domain's owner: a portal notification, and `mail`.
fn tell<E: email::Email>(
    tx: &Connection,
    client: &Client,
    domain: &Domain,
    now: Timestamp,
    notice: Notice,
    mail: &E,
) -> Result<()> {
    notifications::notify(
        tx,
        client.id,
        &notice.kind,
        &notice.title,
        &notice.body,
        &domain_path(domain),
        now,
    )?;
    email::queue(tx, now, &client.email, mail)?;
    Ok(())
}

fn owner(tx: &Connection, domain: &Domain) -> Result<Client> {
    clients::find(tx, domain.client_id)?.ok_or(AppError::NotFound)
}

/// Registered, or transferred in, until `expiry`.
pub fn registered(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    expiry: &str,
    now: Timestamp,
) -> Result<()> {
    let client = owner(tx, domain)?;
    let verb = if domain.action == "transfer" {
        "transferred in"
    } else {
        "registered"
    };
    let notice = Notice {
        kind: format!("domain_{}", domain.action),
        title: format!("{} is {verb}", domain.name),
        body: format!("{} is {verb} until {expiry}.", domain.name),
    };
    tell(
        tx,
        &client,
        domain,
        now,
        notice,
        &email::DomainRegistered {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            verb: verb.into(),
            expiry_date: expiry.into(),
            link: brand.link(&domain_path(domain)),
        },
    )
}

/// A transfer in gave up.
pub fn transfer_failed(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    now: Timestamp,
) -> Result<()> {
    let client = owner(tx, domain)?;
    let notice = Notice {
        kind: "domain_transfer_failed".into(),
        title: format!("The transfer of {} did not go through", domain.name),
        body: "Our team has been told and will contact you.".into(),
    };
    tell(
        tx,
        &client,
        domain,
        now,
        notice,
        &email::DomainTransferFailed {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            link: brand.link(&domain_path(domain)),
        },
    )
}

/// Renewed at the registry until `expiry`.
pub fn renewed(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    expiry: &str,
    now: Timestamp,
) -> Result<()> {
    let client = owner(tx, domain)?;
    let notice = Notice {
        kind: "domain_renewed".into(),
        title: format!("{} is renewed", domain.name),
        body: format!("{} is renewed until {expiry}.", domain.name),
    };
    tell(
        tx,
        &client,
        domain,
        now,
        notice,
        &email::DomainRenewed {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            expiry_date: expiry.into(),
            link: brand.link(&domain_path(domain)),
        },
    )
}

/// `days_left` before expiry: renewing (with the invoice to pay, if any),
/// or lapsing with auto-renew off.
pub fn expiry_reminder(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    days_left: i64,
    invoice: Option<&Invoice>,
    now: Timestamp,
) -> Result<()> {
    let client = owner(tx, domain)?;
    let expiry = domain.expiry_date.clone().unwrap_or_default();
    let invoice = match invoice {
        Some(i) => {
            let currency = billing::currency(tx, &i.currency)?;
            Some((i.display_number(), format_money(i.balance_due(), &currency)))
        }
        None => None,
    };
    // A term sold without a renewal price cannot renew by itself.
    let renewing = domain.auto_renew && domain.recurring_amount.is_some();
    let body = match (&invoice, renewing) {
        (Some((number, balance)), true) => {
            format!("It renews when invoice {number} ({balance}) is paid.")
        }
        (None, true) => "It renews automatically.".to_string(),
        (_, false) => "It will not renew automatically: it lapses unless you renew it.".to_string(),
    };
    let notice = Notice {
        kind: "domain_expiry_reminder".into(),
        title: format!("{} expires on {expiry}", domain.name),
        body,
    };
    tell(
        tx,
        &client,
        domain,
        now,
        notice,
        &email::DomainExpiryReminder {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            expiry_date: expiry,
            days_left,
            renewing,
            invoice,
            link: brand.link(&domain_path(domain)),
        },
    )
}

/// The expiry passed unrenewed.
pub fn expired(tx: &Connection, brand: &Branding, domain: &Domain, now: Timestamp) -> Result<()> {
    let client = owner(tx, domain)?;
    let expiry = domain.expiry_date.clone().unwrap_or_default();
    let notice = Notice {
        kind: "domain_expired".into(),
        title: format!("{} has expired", domain.name),
        body: format!("It expired on {expiry}."),
    };
    tell(
        tx,
        &client,
        domain,
        now,
        notice,
        &email::DomainExpired {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            expiry_date: expiry,
            link: brand.link(&domain_path(domain)),
        },
    )
}
