//! What a client or staff may read of invoices and payments.

use super::currency;
use crate::{
    auth::principal::{Principal, StaffPrincipal},
    db::Db,
    domain::{privileges::Privilege, scopes::Scope},
    error::{AppError, Result},
    service::access::client_access,
    store::{
        Page, PageRequest,
        currencies::{self, Currency},
        invoices::{self, Invoice, Item},
        payments::{self, Payment},
    },
};

/// A client's invoices (needs `billing.payinvoice`).
pub fn invoices_of(
    db: &Db,
    principal: &Principal,
    ident: &str,
    status: Option<&str>,
    page: PageRequest,
) -> Result<(Page<Invoice>, Vec<Currency>)> {
    if status.is_some_and(|s| !["unpaid", "paid", "cancelled", "refunded"].contains(&s)) {
        return Err(AppError::invalid(
            "status",
            "must be unpaid, paid, cancelled or refunded",
        ));
    }
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingPayInvoice)?;
        Ok((
            invoices::of_client(c, access.client.id, status, page)?,
            currencies::list(c)?,
        ))
    })
}

/// One invoice of a client, with its lines; another client's is a 404.
pub fn invoice_of(
    db: &Db,
    principal: &Principal,
    ident: &str,
    invoice: &str,
) -> Result<(Invoice, Vec<Item>, Currency)> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingPayInvoice)?;
        let inv = invoices::find(c, invoice)?
            .filter(|i| i.client_id == access.client.id)
            .ok_or(AppError::NotFound)?;
        let items = invoices::items(c, inv.id)?;
        let cur = currency(c, &inv.currency)?;
        Ok((inv, items, cur))
    })
}

/// Every payment, for staff with `billing:read`.
pub fn all_payments(
    db: &Db,
    staff: &StaffPrincipal,
    client_id: Option<i64>,
    gateway: Option<&str>,
    page: PageRequest,
) -> Result<(Page<Payment>, Vec<Currency>)> {
    staff.require(Scope::BillingRead)?;
    db.read(|c| {
        Ok((
            payments::list(c, client_id, gateway, page)?,
            currencies::list(c)?,
        ))
    })
}

/// A client's payments (needs `billing.payinvoice`).
pub fn payments_of(
    db: &Db,
    principal: &Principal,
    ident: &str,
) -> Result<(Vec<Payment>, Vec<Currency>)> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingPayInvoice)?;
        Ok((
            payments::of_client(c, access.client.id)?,
            currencies::list(c)?,
        ))
    })
}
