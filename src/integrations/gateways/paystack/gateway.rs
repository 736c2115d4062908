//! Paystack as a `Gateway`: initialize and verify, refunds, and its
//! signed webhooks (confirmed through verify before they count).

use futures_util::future::BoxFuture;

use super::Paystack;
use crate::integrations::gateways::{
    ATTEMPT_KEY, Charge, ChargeStatus, Gateway, GatewayError, Notice, Notification, StartRequest,
    Started, WebhookError,
};

pub struct PaystackGateway {
    api: Paystack,
    secret_key: String,
    public_key: String,
}

impl PaystackGateway {
    pub fn new(api: Paystack, secret_key: &str, public_key: &str) -> Self {
        PaystackGateway {
            api,
            secret_key: secret_key.to_string(),
            public_key: public_key.to_string(),
        }
    }

    pub fn public_key(&self) -> &str {
        &self.public_key
    }
}

impl Gateway for PaystackGateway {
    fn code(&self) -> &'static str {
        "paystack"
    }

    fn start<'a>(&'a self, req: &'a StartRequest) -> BoxFuture<'a, Result<Started, GatewayError>> {
        Box::pin(async move {
            // Our attempt uuid is the reference: Paystack refuses a
            // reference twice, so a retried start cannot open a second
            // transaction.
            let init = self
                .api
                .initialize(&super::InitRequest {
                    email: &req.email,
                    amount: req.amount,
                    currency: &req.currency,
                    reference: &req.attempt,
                    callback_url: &req.return_url,
                    metadata: serde_json::json!({ ATTEMPT_KEY: req.attempt, "invoice": req.invoice_number }),
                })
                .await?;
            Ok(Started {
                reference: init.reference,
                redirect_url: Some(init.authorization_url),
                access_code: Some(init.access_code),
                ..Started::default()
            })
        })
    }

    fn lookup<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<Charge, GatewayError>> {
        Box::pin(async move {
            let t = self.api.verify(reference).await?;
            let status = match t.status.as_str() {
                "success" => ChargeStatus::Succeeded,
                "failed" | "abandoned" | "reversed" => ChargeStatus::Failed(
                    t.gateway_response
                        .clone()
                        .unwrap_or_else(|| format!("the payment {}", t.status)),
                ),
                _ => ChargeStatus::Pending,
            };
            Ok(Charge {
                status,
                transaction_id: t.reference.clone(),
                amount: t.amount,
                currency: t.currency.to_uppercase(),
                attempt: Some(t.reference.clone()),
                reference: Some(t.reference),
            })
        })
    }

    fn refund<'a>(
        &'a self,
        transaction_id: &'a str,
        amount: i64,
        _key: &'a str,
    ) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(async move {
            let refund = self.api.refund(transaction_id, amount).await?;
            if refund.status == "failed" {
                return Err(GatewayError::Rejected {
                    status: 402,
                    message: "the refund failed".into(),
                });
            }
            Ok(refund.id.to_string())
        })
    }

    fn read_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        _now_unix: i64,
    ) -> Result<Notification, WebhookError> {
        let event = super::verify_webhook(body, signature, &self.secret_key)?;
        // Even a signed charge.success is confirmed through verify before
        // money is recorded, as Paystack advises.
        let what = match (event.event.as_str(), event.transaction_reference()) {
            ("charge.success", Some(reference)) => Notice::Confirm {
                reference: reference.to_string(),
            },
            _ => Notice::Nothing,
        };
        Ok(Notification {
            event_id: event.id(),
            kind: event.event,
            what,
        })
    }
}
