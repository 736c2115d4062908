//! Telling a client about an invoice: the email and the portal notification
//! go together, written in the caller's transaction, for every kind of
//! invoice (staff's, renewals, plan changes, addons) and every reminder.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    error::Result,
    service::{
        billing::{self, format_money},
        email::{self, Branding},
        notifications,
    },
    store::{clients::Client, invoices::Invoice},
};

fn invoice_path(invoice: &Invoice) -> String {
    format!("/account/invoices/{}", invoice.id)
}

/// A new invoice to pay.
pub fn created(
    tx: &Connection,
    brand: &Branding,
    client: &Client,
    invoice: &Invoice,
    now: Timestamp,
) -> Result<()> {
    let currency = billing::currency(tx, &invoice.currency)?;
    let total = format_money(invoice.total, &currency);
    notifications::notify(
        tx,
        client.id,
        "invoice_created",
        &format!("Invoice {} is ready", invoice.display_number()),
        &format!("{total}, due {}.", invoice.due_date),
        &invoice_path(invoice),
        now,
    )?;
    email::queue(
        tx,
        now,
        &client.email,
        &email::InvoiceCreated {
            brand: brand.clone(),
            name: client.display_name(),
            invoice_number: invoice.display_number(),
            total,
            due_date: invoice.due_date.clone(),
            link: brand.link(&invoice_path(invoice)),
        },
    )?;
    Ok(())
}

/// A reminder before the due date (`days_overdue` none) or an overdue
/// notice.
pub fn reminder(
    tx: &Connection,
    brand: &Branding,
    client: &Client,
    invoice: &Invoice,
    days_overdue: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let currency = billing::currency(tx, &invoice.currency)?;
    let balance = format_money(invoice.balance_due(), &currency);
    let link = brand.link(&invoice_path(invoice));
    let number = invoice.display_number();
    match days_overdue {
        None => {
            notifications::notify(
                tx,
                client.id,
                "payment_reminder",
                &format!("Invoice {number} is due soon"),
                &format!("{balance} is due {}.", invoice.due_date),
                &invoice_path(invoice),
                now,
            )?;
            email::queue(
                tx,
                now,
                &client.email,
                &email::PaymentReminder {
                    brand: brand.clone(),
                    name: client.display_name(),
                    invoice_number: number,
                    balance,
                    due_date: invoice.due_date.clone(),
                    link,
                },
            )?;
        }
        Some(days_overdue) => {
            notifications::notify(
                tx,
                client.id,
                "overdue_notice",
                &format!("Invoice {number} is overdue"),
                &format!(
                    "{balance} was due {} ({days_overdue} days ago).",
                    invoice.due_date
                ),
                &invoice_path(invoice),
                now,
            )?;
            email::queue(
                tx,
                now,
                &client.email,
                &email::OverdueNotice {
                    brand: brand.clone(),
                    name: client.display_name(),
                    invoice_number: number,
                    balance,
                    due_date: invoice.due_date.clone(),
                    days_overdue,
                    link,
                },
            )?;
        }
    }
    Ok(())
}
