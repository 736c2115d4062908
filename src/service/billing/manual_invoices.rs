//! Invoices staff write by hand (reference 002 `POST /invoices`): lines of
//! free text and amount, taxed like catalog prices (the client's tax rule,
//! inclusive or exclusive by the tax setting) unless a line says otherwise.

use crate::domain::time::today;
use jiff::{Timestamp, civil::Date};

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{money_input::MoneyInput, scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::{
        audit::{self, Actor, Event},
        billing::taxes,
        billing::{self, buyer_snapshot, format_money, seller_snapshot},
        email::Branding,
        numbering,
    },
    store::{
        clients,
        invoices::{self, Invoice, Item},
    },
};

pub const MAX_LINES: usize = 50;
/// How long a client has to pay when staff name no due date.
pub const DEFAULT_DAYS_TO_PAY: i64 = 7;

pub struct ManualLine {
    pub description: String,
    /// Exact decimal text in the client's currency, per unit.
    pub unit_amount: MoneyInput,
    pub quantity: i64,
    /// The client's tax applies (default true).
    pub taxed: bool,
}

pub struct ManualInvoice {
    /// Client id or uuid.
    pub client: String,
    pub lines: Vec<ManualLine>,
    pub due_date: Option<String>,
    pub notes: String,
}

/// A line to write: `quantity` × `unit`, taxed by the client's rule or not.
pub(crate) struct Checked {
    pub description: String,
    pub unit: i64,
    pub quantity: i64,
    pub taxed: bool,
}

/// Issue an invoice by hand (needs `billing:write`). It is emailed to the
/// client and paid like any other; a paid manual invoice has no order to
/// activate.
pub fn create(
    db: &Db,
    brand: &Branding,
    staff: &StaffPrincipal,
    input: ManualInvoice,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    staff.require(Scope::BillingWrite)?;
    let issue_date = today(now);
    db.write(|tx| {
        let client = clients::find_by_ident(tx, input.client.trim())?
            .ok_or_else(|| AppError::invalid("client", "no such client"))?;
        let currency = billing::currency(tx, &client.currency_code)?;
        let mut errors = FieldErrors::new();
        let mut add = |f: String, m: &str| errors.entry(f).or_default().push(m.to_string());
        if input.lines.is_empty() || input.lines.len() > MAX_LINES {
            add("items".into(), "give between 1 and 50 lines");
        }
        let mut lines = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            let description = l.description.trim().to_string();
            if description.is_empty() || description.chars().count() > 300 {
                add(format!("items.{i}.description"), "give 1 to 300 characters");
            }
            if !(1..=1000).contains(&l.quantity) {
                add(format!("items.{i}.quantity"), "must be from 1 to 1000");
            }
            match l.unit_amount.to_minor(currency.decimals) {
                Ok(unit) if unit > 0 => lines.push(Checked {
                    description,
                    unit,
                    quantity: l.quantity,
                    taxed: l.taxed,
                }),
                Ok(_) => add(format!("items.{i}.amount"), "must be more than zero"),
                Err(e) => add(format!("items.{i}.amount"), &e),
            }
        }
        let due = match input.due_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => issue_date
                .checked_add(jiff::Span::new().days(DEFAULT_DAYS_TO_PAY))
                .map_err(AppError::internal)?,
            Some(text) => match text.parse::<Date>() {
                Ok(d) if d >= issue_date => d,
                Ok(_) => {
                    add("due_date".into(), "cannot be before today");
                    issue_date
                }
                Err(_) => {
                    add("due_date".into(), "must be a date such as 2026-12-31");
                    issue_date
                }
            },
        };
        let notes = input.notes.trim().to_string();
        if notes.chars().count() > 2000 {
            add("notes".into(), "at most 2000 characters");
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let invoice = issue(tx, brand, &client, &lines, issue_date, due, &notes, now)?;
        let invoice_id = invoice.id;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(&Principal::Staff(staff.clone())),
                action: "invoice.created",
                subject: Some(("invoice", invoice_id)),
                client_id: Some(client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": invoice.number, "total": invoice.total, "currency": currency.code }),
            },
        )?;
        crate::service::billing::invoice_notices::created(tx, brand, &client, &invoice, now)?;
        Ok(invoice)
    })
}

/// Write an invoice of `lines` for `client` in its currency, with the tax
/// of its place: exclusive, or split out of the taxed lines when catalog
/// prices include tax (each such line then shows its net as one unit, so
/// the lines still add up to the total). Used by staff invoices and by
/// plan changes; the caller writes the audit row and the email.
#[allow(clippy::too_many_arguments)]
pub(crate) fn issue(
    tx: &rusqlite::Connection,
    brand: &Branding,
    client: &crate::store::clients::Client,
    lines: &[Checked],
    issue_date: Date,
    due: Date,
    notes: &str,
    now: Timestamp,
) -> Result<Invoice> {
    let currency = billing::currency(tx, &client.currency_code)?;
    let amounts: Vec<i64> = lines
        .iter()
        .map(|l| {
            l.unit
                .checked_mul(l.quantity)
                .ok_or_else(|| AppError::invalid("items", "amounts are too large"))
        })
        .collect::<Result<_>>()?;
    let applied = taxes::applied_for(tx, Some(client))?;
    let flags: Vec<bool> = lines.iter().map(|l| l.taxed).collect();
    let taxes::LineTax {
        tax_total,
        shares,
        subtotal,
    } = taxes::line_tax(applied.as_ref(), &amounts, &flags);
    let now_s = stamp(now);
    let number = numbering::number_at_issue(tx, issue_date)?;
    let mut all_notes = notes.to_string();
    if let Some(note) = taxes::invoice_note(applied.as_ref()) {
        if !all_notes.is_empty() {
            all_notes.push_str("\n\n");
        }
        all_notes.push_str(note);
    }
    let invoice_id = invoices::insert(
        tx,
        &invoices::NewInvoice {
            uuid: &uuid::Uuid::new_v4().to_string(),
            client_id: client.id,
            order_id: None,
            number: number.as_deref(),
            currency: &currency.code,
            subtotal,
            tax_total,
            issue_date: &issue_date.to_string(),
            due_date: &due.to_string(),
            seller: &seller_snapshot(brand),
            buyer: &buyer_snapshot(client),
            notes: &all_notes,
            now: &now_s,
        },
    )?;
    let mut position = 0;
    for ((l, amount), share) in lines.iter().zip(&amounts).zip(&shares) {
        position += 1;
        let item = if *share == 0 {
            Item::manual(position, &l.description, l.quantity, l.unit)
        } else {
            let net = amount - share;
            let description = if l.quantity > 1 {
                format!(
                    "{} ({} × {})",
                    l.description,
                    l.quantity,
                    format_money(l.unit, &currency)
                )
            } else {
                l.description.clone()
            };
            Item::manual(position, &description, 1, net)
        };
        invoices::insert_item(tx, invoice_id, &item)?;
    }
    if let Some(t) = applied.as_ref().filter(|_| tax_total > 0) {
        position += 1;
        invoices::insert_item(
            tx,
            invoice_id,
            &Item::plain(position, "tax", &t.label, 1, tax_total),
        )?;
    }
    invoices::find(tx, &invoice_id.to_string())?.ok_or(AppError::NotFound)
}
