//! Invoice numbers: the format staff choose and the proforma mode.
//!
//! With proforma mode off (the default) an invoice gets its number when it
//! is issued. With it on, an unpaid invoice is a proforma without a number,
//! and the tax invoice number is given when it is paid in full, so a
//! cancelled proforma never leaves a gap in the tax invoice series.

use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        numbering::{DEFAULT_FORMAT, NumberFormat},
        scopes::Scope,
        time::stamp,
    },
    error::{AppError, Result},
    service::audit::{self, Actor, Event},
    store::{invoices, settings},
};

const FORMAT_KEY: &str = "billing.invoice_number_format";
const PROFORMA_KEY: &str = "billing.proforma_invoices";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberingSettings {
    pub invoice_number_format: String,
    pub proforma_invoices: bool,
}

pub fn load(conn: &Connection) -> Result<NumberingSettings> {
    Ok(NumberingSettings {
        invoice_number_format: settings::get(conn, FORMAT_KEY)?
            .unwrap_or_else(|| DEFAULT_FORMAT.to_string()),
        proforma_invoices: settings::get(conn, PROFORMA_KEY)?.as_deref() == Some("true"),
    })
}

pub fn settings(db: &Db, staff: &StaffPrincipal) -> Result<NumberingSettings> {
    staff.require(Scope::BillingRead)?;
    db.read(load)
}

/// Change the format or the mode. A new format applies to numbers given
/// from now on; numbers already given never change.
pub fn save(
    db: &Db,
    staff: &StaffPrincipal,
    input: NumberingSettings,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<NumberingSettings> {
    staff.require(Scope::BillingWrite)?;
    let format = input.invoice_number_format.trim().to_string();
    NumberFormat::parse(&format).map_err(|e| AppError::invalid("invoice_number_format", e))?;
    db.write(|tx| {
        let now_s = stamp(now);
        settings::put(tx, FORMAT_KEY, &format, &now_s)?;
        let proforma = if input.proforma_invoices { "true" } else { "false" };
        settings::put(tx, PROFORMA_KEY, proforma, &now_s)?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(&Principal::Staff(staff.clone())),
                action: "billing.numbering_changed",
                subject: None,
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "invoice_number_format": format, "proforma_invoices": input.proforma_invoices }),
            },
        )?;
        load(tx)
    })
}

/// The next number of the series `date` falls in, taken in the caller's
/// transaction (a rollback gives it back).
pub(crate) fn next_number(conn: &Connection, date: Date) -> Result<String> {
    let stored = load(conn)?;
    // A stored format was checked when saved; fall back rather than fail
    // to bill if the row was edited by hand.
    let format = NumberFormat::parse(&stored.invoice_number_format)
        .or_else(|_| NumberFormat::parse(DEFAULT_FORMAT))
        .map_err(AppError::internal)?;
    let seq = invoices::next_number(conn, &format.series(date))?;
    Ok(format.render(date, seq))
}

/// The number an invoice issued on `date` gets now: none for a proforma.
pub(crate) fn number_at_issue(conn: &Connection, date: Date) -> Result<Option<String>> {
    if load(conn)?.proforma_invoices {
        Ok(None)
    } else {
        next_number(conn, date).map(Some)
    }
}

/// Give a paid proforma its tax invoice number (nothing if it has one).
pub(crate) fn number_at_payment(conn: &Connection, invoice_id: i64, date: Date) -> Result<()> {
    let Some(invoice) = invoices::find(conn, &invoice_id.to_string())? else {
        return Err(AppError::NotFound);
    };
    if invoice.number.is_none() {
        let number = next_number(conn, date)?;
        invoices::set_number(conn, invoice_id, &number)?;
    }
    Ok(())
}
