//! Stripe as a `Gateway`: PaymentIntents for the API, Checkout Sessions
//! for the client area, refunds, and its signed webhooks.

use futures_util::future::BoxFuture;

use super::{PaymentIntent, Stripe};
use crate::integrations::gateways::{
    ATTEMPT_KEY, Charge, ChargeStatus, Flow, Gateway, GatewayError, Notice, Notification,
    StartRequest, Started, WebhookError,
};

pub struct StripeGateway {
    api: Stripe,
    webhook_secret: String,
    publishable_key: String,
    /// `test` or `live`, from the key.
    mode: &'static str,
}

impl StripeGateway {
    /// `secret_key` tells test from live mode.
    pub fn new(api: Stripe, secret_key: &str, webhook_secret: &str, publishable_key: &str) -> Self {
        StripeGateway {
            api,
            webhook_secret: webhook_secret.to_string(),
            publishable_key: publishable_key.to_string(),
            mode: if secret_key.contains("_live_") {
                "live"
            } else {
                "test"
            },
        }
    }

    pub fn publishable_key(&self) -> &str {
        &self.publishable_key
    }

    pub fn mode(&self) -> &'static str {
        self.mode
    }
}

fn intent_charge(pi: &PaymentIntent) -> Charge {
    let status = match pi.status.as_str() {
        "succeeded" => ChargeStatus::Succeeded,
        "canceled" => ChargeStatus::Failed("the payment was cancelled".into()),
        "requires_payment_method" if pi.last_payment_error.is_some() => {
            ChargeStatus::Failed(pi.last_payment_error.clone().unwrap_or_default())
        }
        _ => ChargeStatus::Pending,
    };
    Charge {
        amount: if status == ChargeStatus::Succeeded {
            pi.amount_received
        } else {
            pi.amount
        },
        status,
        transaction_id: pi.id.clone(),
        currency: pi.currency.to_uppercase(),
        attempt: pi.metadata.get(ATTEMPT_KEY).cloned(),
        reference: None,
    }
}

impl Gateway for StripeGateway {
    fn code(&self) -> &'static str {
        "stripe"
    }

    fn start<'a>(&'a self, req: &'a StartRequest) -> BoxFuture<'a, Result<Started, GatewayError>> {
        Box::pin(async move {
            let description = format!("Invoice {}", req.invoice_number);
            let metadata = [
                (ATTEMPT_KEY, req.attempt.as_str()),
                ("invoice", req.invoice_number.as_str()),
            ];
            match req.flow {
                Flow::Intent => {
                    let pi = self
                        .api
                        .create_payment_intent(&super::IntentRequest {
                            amount: req.amount,
                            currency: &req.currency,
                            idempotency_key: &req.attempt,
                            description: &description,
                            metadata: &metadata,
                            receipt_email: Some(&req.email),
                        })
                        .await?;
                    Ok(Started {
                        reference: pi.id,
                        client_secret: pi.client_secret,
                        ..Started::default()
                    })
                }
                Flow::Hosted => {
                    let session = self
                        .api
                        .create_checkout_session(&super::CheckoutRequest {
                            amount: req.amount,
                            currency: &req.currency,
                            product_name: &description,
                            success_url: &req.return_url,
                            cancel_url: &req.cancel_url,
                            client_reference_id: Some(&req.attempt),
                            customer_email: Some(&req.email),
                            metadata: &metadata,
                            idempotency_key: &req.attempt,
                        })
                        .await?;
                    Ok(Started {
                        reference: session.id,
                        redirect_url: session.url,
                        ..Started::default()
                    })
                }
            }
        })
    }

    fn lookup<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<Charge, GatewayError>> {
        Box::pin(async move {
            let intent_id = if reference.starts_with("cs_") {
                let session = self.api.retrieve_checkout_session(reference).await?;
                match session.payment_intent {
                    Some(pi) => pi,
                    // No PaymentIntent yet: the customer has not paid.
                    None => {
                        return Ok(Charge {
                            status: ChargeStatus::Pending,
                            transaction_id: String::new(),
                            amount: session.amount_total.unwrap_or(0),
                            currency: session.currency.unwrap_or_default().to_uppercase(),
                            attempt: session.metadata.get(ATTEMPT_KEY).cloned(),
                            reference: Some(reference.to_string()),
                        });
                    }
                }
            } else {
                reference.to_string()
            };
            let pi = self.api.retrieve_payment_intent(&intent_id).await?;
            let mut charge = intent_charge(&pi);
            charge.reference = Some(reference.to_string());
            Ok(charge)
        })
    }

    fn refund<'a>(
        &'a self,
        transaction_id: &'a str,
        amount: i64,
        key: &'a str,
    ) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(async move {
            let refund = self.api.create_refund(transaction_id, amount, key).await?;
            if matches!(refund.status.as_str(), "failed" | "canceled") {
                return Err(GatewayError::Rejected {
                    status: 402,
                    message: format!("the refund {}", refund.status),
                });
            }
            Ok(refund.id)
        })
    }

    fn read_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now_unix: i64,
    ) -> Result<Notification, WebhookError> {
        let event = super::verify_webhook(body, signature, &self.webhook_secret, now_unix)?;
        let what = match (event.kind.as_str(), event.payment_intent()) {
            ("payment_intent.succeeded" | "payment_intent.payment_failed", Some(pi)) => {
                Notice::Charge(intent_charge(&pi))
            }
            _ => Notice::Nothing,
        };
        Ok(Notification {
            event_id: event.id,
            kind: event.kind,
            what,
        })
    }
}
