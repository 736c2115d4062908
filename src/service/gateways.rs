//! Payment gateways behind one trait. A gateway starts a payment for an
//! amount till decides, says what became of a charge, refunds, and reads
//! its own webhooks. The rules (which invoice, what amount, recorded once)
//! are in `service::gateway_payments`; the wire formats are in
//! `integrations::gateways`.
//!
//! The other payment methods need no gateway: bank transfer shows its
//! instructions and staff record the payment (`billing::record_payment`);
//! account credit is till's own ledger (`billing::apply_credit`).

use std::{collections::BTreeMap, sync::Arc};

use futures_util::future::BoxFuture;

use crate::{
    config::Config,
    integrations::gateways::{
        GatewayError, WebhookError,
        paystack::{self, Paystack},
        stripe::{self, Stripe},
    },
};

/// Which kind of start: a PaymentIntent for the caller's own card form
/// (mobile apps, API integrations), or the gateway's hosted page (the
/// client area).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Intent,
    Hosted,
}

impl Flow {
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Intent => "intent",
            Flow::Hosted => "hosted",
        }
    }
}

/// What to ask a gateway for.
#[derive(Debug, Clone)]
pub struct StartRequest {
    /// Our attempt's uuid: the gateway's idempotency key and reference,
    /// and metadata that brings webhooks back to the attempt.
    pub attempt: String,
    pub invoice_number: String,
    pub amount: i64,
    pub currency: String,
    pub email: String,
    pub flow: Flow,
    /// Where the hosted page sends the customer back.
    pub return_url: String,
    pub cancel_url: String,
}

/// What the gateway gave back.
#[derive(Debug, Clone, Default)]
pub struct Started {
    /// The gateway's handle for this attempt (PaymentIntent, Checkout
    /// Session, or Paystack reference).
    pub reference: String,
    pub redirect_url: Option<String>,
    pub client_secret: Option<String>,
    pub access_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeStatus {
    Succeeded,
    Failed(String),
    /// Not finished (the customer has not paid yet, or it is processing).
    Pending,
}

/// A charge as the gateway reports it.
#[derive(Debug, Clone)]
pub struct Charge {
    pub status: ChargeStatus,
    /// The id a payment is recorded under (one charge, one payment).
    pub transaction_id: String,
    /// Minor units actually collected (or to be collected while pending).
    pub amount: i64,
    pub currency: String,
    /// Our attempt uuid, when the gateway carried it back in metadata.
    pub attempt: Option<String>,
    /// The attempt's reference at the gateway, when known.
    pub reference: Option<String>,
}

/// A webhook that passed its signature check.
#[derive(Debug, Clone)]
pub struct Notification {
    pub event_id: String,
    pub kind: String,
    pub what: Notice,
}

#[derive(Debug, Clone)]
pub enum Notice {
    /// The event itself tells the outcome (signed by the gateway).
    Charge(Charge),
    /// The event names a charge to confirm with the gateway first.
    Confirm { reference: String },
    /// Nothing for till to do.
    Nothing,
}

/// One payment gateway.
pub trait Gateway: Send + Sync {
    fn code(&self) -> &'static str;

    /// Ask the gateway to collect `req.amount`. Safe to retry with the
    /// same request: the attempt uuid is the idempotency key.
    fn start<'a>(&'a self, req: &'a StartRequest) -> BoxFuture<'a, Result<Started, GatewayError>>;

    /// The charge behind an attempt's `reference`, as the gateway has it now.
    fn lookup<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<Charge, GatewayError>>;

    /// Give back `amount` of the charge `transaction_id`; answers the
    /// gateway's refund id. `key` makes a retry safe.
    fn refund<'a>(
        &'a self,
        transaction_id: &'a str,
        amount: i64,
        key: &'a str,
    ) -> BoxFuture<'a, Result<String, GatewayError>>;

    /// Check a webhook's signature (over the raw body) and read it.
    fn read_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now_unix: i64,
    ) -> Result<Notification, WebhookError>;
}

/// The metadata key that carries our attempt uuid through the gateway.
pub const ATTEMPT_KEY: &str = "till_attempt";

pub struct StripeGateway {
    api: Stripe,
    webhook_secret: String,
    publishable_key: String,
    /// `test` or `live`, from the key.
    mode: &'static str,
}

impl StripeGateway {
    pub fn publishable_key(&self) -> &str {
        &self.publishable_key
    }

    pub fn mode(&self) -> &'static str {
        self.mode
    }
}

fn intent_charge(pi: &stripe::PaymentIntent) -> Charge {
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
                        .create_payment_intent(&stripe::IntentRequest {
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
                        .create_checkout_session(&stripe::CheckoutRequest {
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
        let event = stripe::verify_webhook(body, signature, &self.webhook_secret, now_unix)?;
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

pub struct PaystackGateway {
    api: Paystack,
    secret_key: String,
    public_key: String,
}

impl PaystackGateway {
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
                .initialize(&paystack::InitRequest {
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
        let event = paystack::verify_webhook(body, signature, &self.secret_key)?;
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

/// The card gateways this instance has keys for.
#[derive(Clone, Default)]
pub struct Gateways {
    by_code: BTreeMap<&'static str, Arc<dyn Gateway>>,
    stripe: Option<Arc<StripeGateway>>,
    paystack: Option<Arc<PaystackGateway>>,
}

impl Gateways {
    pub fn from_config(config: &Config) -> Gateways {
        let mut g = Gateways::default();
        let s = &config.gateways.stripe;
        if s.configured() {
            let key = s.secret_key.expose();
            let stripe = Arc::new(StripeGateway {
                api: Stripe::new(&s.base_url, key),
                webhook_secret: s.webhook_secret.expose().to_string(),
                publishable_key: s.publishable_key.clone(),
                mode: if key.contains("_live_") {
                    "live"
                } else {
                    "test"
                },
            });
            g.by_code.insert("stripe", stripe.clone());
            g.stripe = Some(stripe);
        }
        let p = &config.gateways.paystack;
        if p.configured() {
            let paystack = Arc::new(PaystackGateway {
                api: Paystack::new(&p.base_url, p.secret_key.expose()),
                secret_key: p.secret_key.expose().to_string(),
                public_key: p.public_key.clone(),
            });
            g.by_code.insert("paystack", paystack.clone());
            g.paystack = Some(paystack);
        }
        g
    }

    /// A configured card gateway by its payment method code.
    pub fn get(&self, code: &str) -> Option<Arc<dyn Gateway>> {
        self.by_code.get(code).cloned()
    }

    pub fn has(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    pub fn stripe(&self) -> Option<&StripeGateway> {
        self.stripe.as_deref()
    }

    pub fn paystack(&self) -> Option<&PaystackGateway> {
        self.paystack.as_deref()
    }
}

/// The payment methods that are card gateways (needing keys to be offered).
pub const CARD_GATEWAYS: [&str; 2] = ["stripe", "paystack"];
