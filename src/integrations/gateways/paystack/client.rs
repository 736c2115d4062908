//! The Paystack client and its calls: initialize, verify, refund.

use serde::{Deserialize, de::DeserializeOwned};

use crate::config::Secret;
use crate::integrations::gateways::{
    GatewayError, endpoint, http_client, snippet, transport_error,
};

use super::objects::{InitRequest, Initialized, Refund, Transaction};
use super::wire::{Envelope, WireTransaction};

/// A Paystack integration, reached at `base_url` with its secret key.
/// `Debug` never shows the key.
#[derive(Clone, Debug)]
pub struct Paystack {
    base_url: String,
    secret_key: Secret,
    http: reqwest::Client,
}

impl Paystack {
    pub fn new(base_url: &str, secret_key: &str) -> Paystack {
        Paystack {
            base_url: base_url.trim_end_matches('/').to_string(),
            secret_key: Secret::new(secret_key),
            http: http_client(),
        }
    }

    /// `POST /transaction/initialize`.
    pub async fn initialize(&self, req: &InitRequest<'_>) -> Result<Initialized, GatewayError> {
        let url = endpoint(&self.base_url, &["transaction", "initialize"])?;
        let mut body = serde_json::to_value(req)
            .map_err(|e| GatewayError::BadResponse(format!("cannot encode request: {e}")))?;
        if let Some(currency) = body.get_mut("currency") {
            *currency = req.currency.to_uppercase().into();
        }
        self.send(self.http.post(url).json(&body)).await
    }

    /// `GET /transaction/verify/{reference}`: the transaction as Paystack
    /// has it now. Only this (or a verified webhook) says a payment happened;
    /// the customer's return to the callback URL proves nothing.
    pub async fn verify(&self, reference: &str) -> Result<Transaction, GatewayError> {
        let url = endpoint(&self.base_url, &["transaction", "verify", reference])?;
        let wire: WireTransaction = self.send(self.http.get(url)).await?;
        Ok(wire.into())
    }

    /// `POST /refund` of `amount` subunits of a transaction (its id or
    /// reference).
    pub async fn refund(&self, transaction: &str, amount: i64) -> Result<Refund, GatewayError> {
        #[derive(Deserialize)]
        struct Wire {
            id: i64,
            #[serde(default)]
            status: String,
            amount: i64,
        }
        let url = endpoint(&self.base_url, &["refund"])?;
        let body = serde_json::json!({ "transaction": transaction, "amount": amount });
        let wire: Wire = self.send(self.http.post(url).json(&body)).await?;
        Ok(Refund {
            id: wire.id,
            status: wire.status,
            amount: wire.amount,
        })
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, GatewayError> {
        let response = request
            .bearer_auth(self.secret_key.expose())
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport_error)?;
        let envelope: Envelope = match serde_json::from_slice(&body) {
            Ok(envelope) => envelope,
            Err(_) if !status.is_success() => {
                return Err(GatewayError::Rejected {
                    status: status.as_u16(),
                    message: snippet(&body),
                });
            }
            Err(e) => {
                return Err(GatewayError::BadResponse(format!(
                    "{e}: {}",
                    snippet(&body)
                )));
            }
        };
        if !status.is_success() || !envelope.status {
            return Err(GatewayError::Rejected {
                status: status.as_u16(),
                message: envelope.message,
            });
        }
        serde_json::from_value(envelope.data)
            .map_err(|e| GatewayError::BadResponse(format!("{e}: {}", snippet(&body))))
    }
}
