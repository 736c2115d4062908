//! `[gateways]`: the payment gateways' endpoints and secrets.

use serde::{Deserialize, Serialize};

use super::secret::Secret;

/// Card gateways. Each is off until its secret key is set.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewaysConfig {
    pub stripe: StripeConfig,
    pub paystack: PaystackConfig,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct StripeConfig {
    /// `sk_live_…` / `sk_test_…` (or a restricted `rk_…` key).
    pub secret_key: Secret,
    /// `pk_…`, given to browsers for Stripe.js.
    pub publishable_key: String,
    /// `whsec_…`, the signing secret of the webhook endpoint.
    pub webhook_secret: Secret,
    /// Stripe's API; tests point it at a local fake.
    pub base_url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaystackConfig {
    /// `sk_…`; Paystack also signs webhooks with it.
    pub secret_key: Secret,
    /// `pk_…`, given to browsers for Paystack's inline checkout.
    pub public_key: String,
    /// Paystack's API; tests point it at a local fake.
    pub base_url: String,
}

impl StripeConfig {
    /// Stripe is offered only when it has a secret key.
    pub fn configured(&self) -> bool {
        !self.secret_key.expose().trim().is_empty()
    }
}

impl PaystackConfig {
    /// Paystack is offered only when it has a secret key.
    pub fn configured(&self) -> bool {
        !self.secret_key.expose().trim().is_empty()
    }
}

impl Default for StripeConfig {
    fn default() -> Self {
        Self {
            secret_key: Secret::default(),
            publishable_key: String::new(),
            webhook_secret: Secret::default(),
            base_url: "https://api.stripe.com".into(),
        }
    }
}

impl Default for PaystackConfig {
    fn default() -> Self {
        Self {
            secret_key: Secret::default(),
            public_key: String::new(),
            base_url: "https://api.paystack.co".into(),
        }
    }
}
