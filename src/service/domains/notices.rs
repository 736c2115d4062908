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
    notifications::notify(
        tx,
        client.id,
        &format!("domain_{}", domain.action),
        &format!("{} is {verb}", domain.name),
        &format!("{} is {verb} until {expiry}.", domain.name),
        &domain_path(domain),
        now,
    )?;
    email::queue(
        tx,
        now,
        &client.email,
        &email::DomainRegistered {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            verb: verb.into(),
            expiry_date: expiry.into(),
            link: brand.link(&domain_path(domain)),
        },
    )?;
    Ok(())
}

/// A transfer in gave up.
pub fn transfer_failed(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    now: Timestamp,
) -> Result<()> {
    let client = owner(tx, domain)?;
    notifications::notify(
        tx,
        client.id,
        "domain_transfer_failed",
        &format!("The transfer of {} did not go through", domain.name),
        "Our team has been told and will contact you.",
        &domain_path(domain),
        now,
    )?;
    email::queue(
        tx,
        now,
        &client.email,
        &email::DomainTransferFailed {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            link: brand.link(&domain_path(domain)),
        },
    )?;
    Ok(())
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
    notifications::notify(
        tx,
        client.id,
        "domain_renewed",
        &format!("{} is renewed", domain.name),
        &format!("{} is renewed until {expiry}.", domain.name),
        &domain_path(domain),
        now,
    )?;
    email::queue(
        tx,
        now,
        &client.email,
        &email::DomainRenewed {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            expiry_date: expiry.into(),
            link: brand.link(&domain_path(domain)),
        },
    )?;
    Ok(())
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
    notifications::notify(
        tx,
        client.id,
        "domain_expiry_reminder",
        &format!("{} expires on {expiry}", domain.name),
        &body,
        &domain_path(domain),
        now,
    )?;
    email::queue(
        tx,
        now,
        &client.email,
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
    )?;
    Ok(())
}

/// The expiry passed unrenewed.
pub fn expired(tx: &Connection, brand: &Branding, domain: &Domain, now: Timestamp) -> Result<()> {
    let client = owner(tx, domain)?;
    let expiry = domain.expiry_date.clone().unwrap_or_default();
    notifications::notify(
        tx,
        client.id,
        "domain_expired",
        &format!("{} has expired", domain.name),
        &format!("It expired on {expiry}."),
        &domain_path(domain),
        now,
    )?;
    email::queue(
        tx,
        now,
        &client.email,
        &email::DomainExpired {
            brand: brand.clone(),
            name: client.display_name(),
            domain: domain.name.clone(),
            expiry_date: expiry,
            link: brand.link(&domain_path(domain)),
        },
    )?;
    Ok(())
}
