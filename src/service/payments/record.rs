//! Staff recording a payment they received (a bank transfer).

use jiff::Timestamp;

use crate::domain::status::InvoiceStatus;
use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{money_input::MoneyInput, scopes::Scope},
    error::{AppError, Result},
    service::{
        audit::Actor,
        billing::{Incoming, currency},
        email::Branding,
        settlement,
    },
    store::{
        invoices::{self, Invoice},
        payments::{self, Payment},
    },
};

/// A payment staff record (reference 002 `POST /invoices/{id}/pay`).
pub struct RecordPayment {
    /// In the invoice's currency.
    pub amount: Option<MoneyInput>,
    pub gateway: String,
    pub transaction_id: String,
}

/// Record a payment against an invoice. A payment beyond what is owed
/// becomes account credit; a transaction id is recorded once per gateway.
pub fn record_payment(
    db: &Db,
    brand: &Branding,
    staff: &StaffPrincipal,
    invoice_ident: &str,
    input: RecordPayment,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(Invoice, Payment)> {
    staff.require(Scope::BillingWrite)?;
    let gateway = input.gateway.trim().to_lowercase();
    let transaction_id = input.transaction_id.trim().to_string();
    if gateway.is_empty() || gateway.len() > 40 {
        return Err(AppError::invalid(
            "gateway",
            "is required (at most 40 characters)",
        ));
    }
    if transaction_id.is_empty() || transaction_id.len() > 200 {
        return Err(AppError::invalid(
            "transaction_id",
            "is required (at most 200 characters)",
        ));
    }
    db.write(|tx| {
        let invoice = invoices::find(tx, invoice_ident)?.ok_or(AppError::NotFound)?;
        let currency = currency(tx, &invoice.currency)?;
        let amount = input
            .amount
            .as_ref()
            .ok_or_else(|| AppError::invalid("amount", MoneyInput::ASK))?
            .to_minor(currency.decimals)
            .map_err(|e| AppError::invalid("amount", e))?;
        if amount <= 0 {
            return Err(AppError::invalid("amount", "must be more than zero"));
        }
        if invoice.status != InvoiceStatus::Unpaid {
            return Err(AppError::Conflict(format!(
                "the invoice is {}",
                invoice.status
            )));
        }
        if payments::find_by_transaction(tx, &gateway, &transaction_id)?.is_some() {
            return Err(AppError::Conflict(
                "this transaction was already recorded".into(),
            ));
        }
        let actor = Actor::from(&Principal::Staff(staff.clone()));
        settlement::apply_payment(
            tx,
            brand,
            &invoice,
            &currency,
            &Incoming {
                gateway: &gateway,
                amount,
                transaction_id: &transaction_id,
                recorded_by: &format!("staff:{}", staff.staff_id),
                actor,
            },
            meta,
            now,
        )
    })
}
