//! The card gateways this instance has keys for, built from the config.

use std::{collections::BTreeMap, sync::Arc};

use super::{
    Gateway,
    paystack::{Paystack, PaystackGateway},
    stripe::{Stripe, StripeGateway},
};
use crate::config::Config;

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
            let stripe = Arc::new(StripeGateway::new(
                Stripe::new(&s.base_url, key),
                key,
                s.webhook_secret.expose(),
                &s.publishable_key,
            ));
            g.by_code.insert("stripe", stripe.clone());
            g.stripe = Some(stripe);
        }
        let p = &config.gateways.paystack;
        if p.configured() {
            let paystack = Arc::new(PaystackGateway::new(
                Paystack::new(&p.base_url, p.secret_key.expose()),
                p.secret_key.expose(),
                &p.public_key,
            ));
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
