//! What a client may see of an invoice's card payments: its history and
//! an attempt (for the return page).

use crate::{
    auth::principal::Principal,
    db::Db,
    domain::privileges::Privilege,
    error::{AppError, Result},
    service::{access::client_access, billing},
    store::{
        currencies::Currency,
        invoices::{self, Invoice},
        payment_attempts::{self, Attempt},
        payments::{self, Payment},
        refunds::{self, Refund},
    },
};

/// An invoice with everything that happened to its money.
pub struct PaymentHistory {
    pub invoice: Invoice,
    pub currency: Currency,
    pub attempts: Vec<Attempt>,
    pub payments: Vec<Payment>,
    pub refunds: Vec<Refund>,
}

/// The payment history of a client's invoice (needs `billing.payinvoice`).
pub fn history(
    db: &Db,
    principal: &Principal,
    client: &str,
    invoice: &str,
) -> Result<PaymentHistory> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::BillingPayInvoice)?;
        let invoice = invoices::find(c, invoice)?
            .filter(|i| i.client_id == access.client.id)
            .ok_or(AppError::NotFound)?;
        Ok(PaymentHistory {
            currency: billing::currency(c, &invoice.currency)?,
            attempts: payment_attempts::of_invoice(c, invoice.id)?,
            payments: payments::of_invoice(c, invoice.id)?,
            refunds: refunds::of_invoice(c, invoice.id)?,
            invoice,
        })
    })
}

/// Whether the principal may pay this client's invoices: checked before a
/// request's own errors are reported, so someone else's client is a 404
/// whatever the body says.
pub fn require_payer(db: &Db, principal: &Principal, client: &str) -> Result<()> {
    db.read(|c| client_access(c, principal, client)?.require_change(Privilege::BillingPayInvoice))
}

/// A client's attempt by id (for the return page of a hosted payment).
pub fn attempt_of(db: &Db, principal: &Principal, client: &str, attempt: i64) -> Result<Attempt> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::BillingPayInvoice)?;
        payment_attempts::find(c, attempt)?
            .filter(|a| a.client_id == access.client.id)
            .ok_or(AppError::NotFound)
    })
}
