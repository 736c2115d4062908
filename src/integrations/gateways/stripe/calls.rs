//! The Stripe calls till makes: PaymentIntents, Checkout Sessions and
//! refunds.

use crate::integrations::gateways::GatewayError;

use super::client::Stripe;
use super::objects::{CheckoutSession, PaymentIntent, Refund};
use super::requests::{CheckoutRequest, IntentRequest};
use super::wire::{WireIntent, WireRefund, WireSession};

impl Stripe {
    pub async fn create_payment_intent(
        &self,
        req: &IntentRequest<'_>,
    ) -> Result<PaymentIntent, GatewayError> {
        let mut form = vec![
            ("amount".to_string(), req.amount.to_string()),
            ("currency".to_string(), req.currency.to_lowercase()),
            (
                "automatic_payment_methods[enabled]".to_string(),
                "true".to_string(),
            ),
        ];
        if !req.description.is_empty() {
            form.push(("description".into(), req.description.into()));
        }
        if let Some(email) = req.receipt_email {
            form.push(("receipt_email".into(), email.into()));
        }
        push_metadata(&mut form, "metadata", req.metadata);
        let wire: WireIntent = self
            .post(&["v1", "payment_intents"], &form, req.idempotency_key)
            .await?;
        Ok(wire.into())
    }

    pub async fn create_checkout_session(
        &self,
        req: &CheckoutRequest<'_>,
    ) -> Result<CheckoutSession, GatewayError> {
        let item = "line_items[0]";
        let mut form = vec![
            ("mode".to_string(), "payment".to_string()),
            (
                format!("{item}[price_data][currency]"),
                req.currency.to_lowercase(),
            ),
            (
                format!("{item}[price_data][unit_amount]"),
                req.amount.to_string(),
            ),
            (
                format!("{item}[price_data][product_data][name]"),
                req.product_name.to_string(),
            ),
            (format!("{item}[quantity]"), "1".to_string()),
            ("success_url".to_string(), req.success_url.to_string()),
            ("cancel_url".to_string(), req.cancel_url.to_string()),
        ];
        if let Some(reference) = req.client_reference_id {
            form.push(("client_reference_id".into(), reference.into()));
        }
        if let Some(email) = req.customer_email {
            form.push(("customer_email".into(), email.into()));
        }
        push_metadata(&mut form, "payment_intent_data[metadata]", req.metadata);
        push_metadata(&mut form, "metadata", req.metadata);
        let wire: WireSession = self
            .post(&["v1", "checkout", "sessions"], &form, req.idempotency_key)
            .await?;
        Ok(wire.into())
    }

    pub async fn retrieve_payment_intent(&self, id: &str) -> Result<PaymentIntent, GatewayError> {
        let wire: WireIntent = self.get(&["v1", "payment_intents", id]).await?;
        Ok(wire.into())
    }

    pub async fn retrieve_checkout_session(
        &self,
        id: &str,
    ) -> Result<CheckoutSession, GatewayError> {
        let wire: WireSession = self.get(&["v1", "checkout", "sessions", id]).await?;
        Ok(wire.into())
    }

    /// Refund `amount` (minor units) of a succeeded PaymentIntent.
    pub async fn create_refund(
        &self,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<Refund, GatewayError> {
        let form = vec![
            ("payment_intent".to_string(), payment_intent.to_string()),
            ("amount".to_string(), amount.to_string()),
        ];
        let wire: WireRefund = self
            .post(&["v1", "refunds"], &form, idempotency_key)
            .await?;
        Ok(Refund {
            id: wire.id,
            status: wire.status.unwrap_or_default(),
            amount: wire.amount,
        })
    }
}

/// `prefix[key]=value` for each pair, Stripe's form for a map.
fn push_metadata(form: &mut Vec<(String, String)>, prefix: &str, pairs: &[(&str, &str)]) {
    for (key, value) in pairs {
        form.push((format!("{prefix}[{key}]"), (*value).to_string()));
    }
}
