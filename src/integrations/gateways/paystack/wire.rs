//! Paystack's JSON as it arrives, and how it becomes till's objects.

use serde::Deserialize;

use super::objects::Transaction;

#[derive(Deserialize)]
pub(super) struct Envelope {
    pub(super) status: bool,
    #[serde(default)]
    pub(super) message: String,
    #[serde(default)]
    pub(super) data: serde_json::Value,
}

#[derive(Deserialize)]
pub(super) struct WireTransaction {
    id: i64,
    reference: String,
    status: String,
    amount: i64,
    currency: String,
    gateway_response: Option<String>,
    paid_at: Option<String>,
}

impl From<WireTransaction> for Transaction {
    fn from(w: WireTransaction) -> Self {
        Transaction {
            id: w.id,
            reference: w.reference,
            status: w.status,
            amount: w.amount,
            currency: w.currency.to_uppercase(),
            gateway_response: w.gateway_response,
            paid_at: w.paid_at,
        }
    }
}
