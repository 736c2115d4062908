//! Where a payment's money is now, and taking a refund out of it.

use rusqlite::Connection;

use crate::{
    error::{AppError, Result},
    service::billing::format_money,
    store::{payments::Payment, refunds},
};

use super::destination::Destination;

/// Where the money of a payment is now: still on its invoice (refundable
/// as is), or turned into account credit (refundable only by taking that
/// credit back, and not to credit).
pub(super) struct Split {
    /// Not yet refunded of the payment.
    pub(super) left: i64,
    /// What of it its invoice still holds.
    on_invoice: i64,
    /// The client's credit that can be taken back for it.
    credit: i64,
}

impl Split {
    pub(super) fn of(
        tx: &Connection,
        payment: &Payment,
        invoice: &crate::store::invoices::Invoice,
        client: &crate::store::clients::Client,
        destination: Destination,
    ) -> Result<Split> {
        let left = payment.amount - payment.refunded;
        let drawn = refunds::drawn_from_invoice(tx, payment.id)?;
        let on_invoice = (payment.applied - drawn)
            .min(invoice.holds())
            .clamp(0, left);
        let credit =
            if destination == Destination::Credit || client.currency_code != payment.currency {
                0
            } else {
                client.credit_balance.min(left - on_invoice).max(0)
            };
        Ok(Split {
            left,
            on_invoice,
            credit,
        })
    }

    /// The most that can be refunded now.
    fn most(&self) -> i64 {
        self.on_invoice + self.credit
    }

    /// `(amount, taken from credit)` for a refund of `wanted`.
    pub(super) fn take(
        &self,
        wanted: i64,
        destination: Destination,
        currency: &crate::store::currencies::Currency,
    ) -> Result<(i64, i64)> {
        if wanted <= 0 || wanted > self.left {
            return Err(AppError::invalid(
                "amount",
                format!(
                    "must be more than zero and at most {}",
                    format_money(self.left.max(0), currency)
                ),
            ));
        }
        if wanted > self.most() {
            let why = if destination == Destination::Credit {
                "the rest of this payment is already account credit"
            } else {
                "the rest of this payment became account credit that has been spent"
            };
            return Err(AppError::invalid(
                "amount",
                format!(
                    "at most {} can be refunded: {why}",
                    format_money(self.most(), currency)
                ),
            ));
        }
        Ok((wanted, (wanted - self.on_invoice).max(0)))
    }
}
