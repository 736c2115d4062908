//! The option choices, addons and domain an item resolved to.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::{config::Secret, domain::cycle::BillingCycle};

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

/// A domain registration, transfer or renewal in an order.
#[derive(Debug, Clone)]
pub struct DomainOrder {
    pub name: String,
    pub tld: String,
    /// register, transfer or renew.
    pub action: &'static str,
    pub years: i64,
    pub price: i64,
    /// The renewal price for the same term, when offered (none for a
    /// renewal itself: the domain already recurs on its own).
    pub renew: Option<i64>,
    /// A transfer's auth code (sealed before it is written anywhere).
    pub auth_code: Option<AuthCode>,
    /// The TLD's registrant fields, checked against its spec.
    pub fields: BTreeMap<String, String>,
    /// For a renewal: the domain renewed and the term it adds.
    pub renewal: Option<Renewal>,
}

/// A transfer's auth code: as typed (API, pages), or as a cart sealed it.
/// Neither form is shown: `Secret` redacts, the sealed text is ciphertext.
#[derive(Debug, Clone)]
pub enum AuthCode {
    Given(Secret),
    Sealed(String),
}

/// The term a renewal adds to a domain the client holds: from its
/// current expiry to that plus the years (the end exclusive, as service
/// periods are).
#[derive(Debug, Clone)]
pub struct Renewal {
    pub domain_id: i64,
    pub period_start: Date,
    pub period_end: Date,
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
