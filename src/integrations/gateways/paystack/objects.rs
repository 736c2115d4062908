//! What till sends Paystack and what it reads back.

use serde::{Deserialize, Serialize};

/// A transaction to start.
#[derive(Debug, Clone, Serialize)]
pub struct InitRequest<'a> {
    pub email: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    /// Ours, unique per attempt: Paystack refuses a reference twice, which
    /// makes a retried initialize safe.
    pub reference: &'a str,
    /// Where Paystack sends the customer afterwards, with `?trxref=&reference=`.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub callback_url: &'a str,
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub metadata: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Initialized {
    /// The hosted payment page to send the customer to.
    pub authorization_url: String,
    pub access_code: String,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub id: i64,
    pub reference: String,
    /// `success`, `failed`, `abandoned`, `ongoing`, `pending`, `reversed`, …
    pub status: String,
    pub amount: i64,
    pub currency: String,
    /// The bank's or processor's words, e.g. "Approved" or "Declined".
    pub gateway_response: Option<String>,
    pub paid_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: i64,
    /// `pending`, `processing`, `processed`, `failed`, …
    pub status: String,
    pub amount: i64,
}
