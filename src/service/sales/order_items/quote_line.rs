//! A priced item: its charges and what they add up to.

use crate::{domain::cycle::BillingCycle, store::catalog::Product};

use super::charge::{Charge, ChargeKind};
use super::choices::{ChosenAddon, ChosenOption, DomainOrder};

/// A priced item of a quote.
#[derive(Debug, Clone)]
pub struct QuoteLine {
    /// None for a domain on its own.
    pub product: Option<Product>,
    /// The product's cycle (none for a domain on its own).
    pub cycle: Option<BillingCycle>,
    pub domain: Option<String>,
    pub domain_order: Option<DomainOrder>,
    pub options: Vec<ChosenOption>,
    pub addons: Vec<ChosenAddon>,
    /// For a product, `charges[0]` is its price and `charges[1]` its setup
    /// fee (possibly zero); then options, addons and the domain.
    pub charges: Vec<Charge>,
    /// The promotion also lowers the renewal price.
    pub discount_recurs: bool,
}

impl QuoteLine {
    fn product_charge(&self, i: usize) -> Option<&Charge> {
        self.product.as_ref().and_then(|_| self.charges.get(i))
    }

    /// The product's price (a domain's own price for a domain alone).
    pub fn price(&self) -> i64 {
        match self.product_charge(0) {
            Some(c) => c.amount,
            None => self.domain_order.as_ref().map_or(0, |d| d.price),
        }
    }

    pub fn setup_fee(&self) -> i64 {
        self.product_charge(1).map_or(0, |c| c.amount)
    }

    pub fn discount(&self) -> i64 {
        self.charges.iter().map(|c| c.discount).sum()
    }

    pub fn tax(&self) -> i64 {
        self.charges.iter().map(|c| c.tax).sum()
    }

    pub fn due_today(&self) -> i64 {
        self.charges.iter().map(Charge::due).sum()
    }

    pub fn tax_included(&self) -> bool {
        self.charges.first().is_some_and(|c| c.tax_included)
    }

    /// What the service renews at: its price (less a recurring discount)
    /// and its options' prices, as WHMCS does. Addons and domains renew on
    /// their own.
    /// What the first period of its service is charged: the plan and its
    /// options, net of the promotion and before tax (the period's fund).
    pub fn first_period_amount(&self) -> i64 {
        if self.product.is_none() || self.cycle == Some(BillingCycle::Onetime) {
            return 0;
        }
        self.charges
            .iter()
            .filter(|c| c.periodic && matches!(c.kind, ChargeKind::Service | ChargeKind::Option))
            .map(Charge::net)
            .sum::<i64>()
            .max(0)
    }

    pub fn service_recurring(&self) -> i64 {
        let Some(c) = self.product_charge(0) else {
            return 0;
        };
        if self.cycle == Some(BillingCycle::Onetime) {
            return 0;
        }
        let own = if self.discount_recurs {
            c.amount - c.discount
        } else {
            c.amount
        };
        own + self.options.iter().map(|o| o.recurring).sum::<i64>()
    }
}
