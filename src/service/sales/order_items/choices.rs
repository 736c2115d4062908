//! The option choices, addons and domain an item resolved to.

use crate::domain::cycle::BillingCycle;

/// A configurable option chosen for a service.
#[derive(Debug, Clone)]
pub struct ChosenOption {
    pub option_id: i64,
    pub option: String,
    pub kind: String,
    pub choice_id: i64,
    pub choice: String,
    pub quantity: i64,
    /// Per period, added to the service's renewal price.
    pub recurring: i64,
}

/// An addon ordered with a service.
#[derive(Debug, Clone)]
pub struct ChosenAddon {
    pub addon_id: i64,
    pub name: String,
    /// The service's cycle, or one-time for an addon sold once.
    pub cycle: BillingCycle,
    pub recurring: i64,
}

/// A domain registration or transfer in an order.
#[derive(Debug, Clone)]
pub struct DomainOrder {
    pub name: String,
    pub tld: String,
    /// register or transfer.
    pub action: &'static str,
    pub years: i64,
    pub price: i64,
    /// The renewal price for the same term, when offered.
    pub renew: Option<i64>,
}

impl DomainOrder {
    /// The recurring key of its renewal: `annually`, `biennially`,
    /// `triennially`, else `every_N_years`.
    pub fn renewal_key(&self) -> String {
        match self.years {
            1 => "annually".into(),
            2 => "biennially".into(),
            3 => "triennially".into(),
            n => format!("every_{n}_years"),
        }
    }
}
