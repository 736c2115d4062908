//! What an order item asks for and how it is priced: a product with its
//! configurable options, its addons and a domain to register or transfer,
//! or a domain on its own. Every amount comes from the catalog.
//!
//! A priced item is a `QuoteLine` holding a list of `Charge`s: the product's
//! price and setup fee (always the first two), each priced option choice and
//! its setup fee, each addon and its setup fee, and the domain. Tax is
//! computed once over all charges of a quote and shared out over them (see
//! `orders::quote`); promotions discount only the product's own price and
//! setup fee.
//!
//! `options` prices configurable options, `addon_prices` addons and
//! `domain_prices` a domain; `price_item` puts one item together.

mod addon_prices;
mod domain_prices;
mod options;

use addon_prices::price_addons;
pub(crate) use domain_prices::valid_domain;
use domain_prices::{clean_domain, domain_charge, price_domain};
use options::price_options;

use rusqlite::Connection;

use crate::{
    domain::cycle::BillingCycle,
    error::{FieldErrors, Result},
    store::{catalog::Product, currencies::Currency},
};

/// One configurable option as asked: the option (id or uuid) and its value
/// (a choice id; a quantity; `yes`/`no`, `1`/`0` or `true`/`false`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OptionRequest {
    pub option: String,
    pub value: String,
}

/// One thing asked for (reference 000's order item, plus options, addons
/// and years).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ItemRequest {
    /// `hosting` (any catalog product; also `product` or empty) or `domain`.
    pub kind: String,
    /// Product id, uuid or slug (not for `domain` items).
    pub product: String,
    pub billing_cycle: String,
    pub domain: Option<String>,
    /// `existing` (default for products), `register` (default for domain
    /// items) or `transfer`.
    pub domain_option: Option<String>,
    /// The registration term, 1 to 10 (default 1).
    pub years: Option<u32>,
    pub options: Vec<OptionRequest>,
    /// Addon ids, uuids or slugs.
    pub addons: Vec<String>,
}

/// What a charge is, as the invoice line's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeKind {
    Service,
    Setup,
    Option,
    Addon,
    Domain,
}

impl ChargeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeKind::Service => "service",
            ChargeKind::Setup => "setup",
            ChargeKind::Option => "option",
            ChargeKind::Addon => "addon",
            ChargeKind::Domain => "domain",
        }
    }
}

/// One amount a line charges today.
#[derive(Debug, Clone)]
pub struct Charge {
    pub kind: ChargeKind,
    pub description: String,
    pub quantity: i64,
    /// The listed price of one unit.
    pub unit_amount: i64,
    /// `quantity × unit_amount`, as listed.
    pub amount: i64,
    /// What a promotion takes off (product price and setup only).
    pub discount: i64,
    /// This charge's share of the quote's tax.
    pub tax: i64,
    /// The catalog prices include the tax.
    pub tax_included: bool,
    /// It covers the service's first period (its invoice line carries it).
    pub periodic: bool,
}

impl Charge {
    fn new(
        kind: ChargeKind,
        description: String,
        quantity: i64,
        unit: i64,
        periodic: bool,
    ) -> Self {
        Charge {
            kind,
            description,
            quantity,
            unit_amount: unit,
            amount: quantity.saturating_mul(unit),
            discount: 0,
            tax: 0,
            tax_included: false,
            periodic,
        }
    }

    /// What the tax is computed on (gross with inclusive prices).
    pub fn taxable(&self) -> i64 {
        self.amount - self.discount
    }

    /// What the customer pays for it today.
    pub fn due(&self) -> i64 {
        if self.tax_included {
            self.taxable()
        } else {
            self.taxable() + self.tax
        }
    }

    /// What it charges net of its discount and before tax.
    pub fn net(&self) -> i64 {
        if self.tax_included {
            self.taxable() - self.tax
        } else {
            self.taxable()
        }
    }

    /// The amount of its invoice line: the listed amount with exclusive
    /// prices (the discount and tax are lines of their own); the net after
    /// discount and tax with inclusive prices (the tax line holds the rest).
    pub fn line_amount(&self) -> i64 {
        if self.tax_included {
            self.amount - self.discount - self.tax
        } else {
            self.amount
        }
    }

    /// `(quantity, unit)` for its invoice line, with `quantity × unit` equal
    /// to `line_amount()`; a net that does not divide by the quantity is one
    /// unit (the description then says how many).
    pub fn line_quantity(&self) -> (i64, i64, String) {
        let amount = self.line_amount();
        if self.quantity > 1 && amount % self.quantity == 0 {
            (
                self.quantity,
                amount / self.quantity,
                self.description.clone(),
            )
        } else if self.quantity > 1 {
            (
                1,
                amount,
                format!("{} × {}", self.description, self.quantity),
            )
        } else {
            (1, amount, self.description.clone())
        }
    }
}

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

/// Collects field problems while an item is priced.
pub(crate) struct Problems<'a> {
    pub errors: &'a mut FieldErrors,
    pub item: usize,
}

impl Problems<'_> {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let key = if field.is_empty() {
            format!("items.{}", self.item)
        } else {
            format!("items.{}.{field}", self.item)
        };
        self.errors.entry(key).or_default().push(message.into());
    }
}

/// Price one item; `None` (with its problems recorded) when it cannot be.
pub(crate) fn price_item(
    conn: &Connection,
    p: &mut Problems<'_>,
    currency: &Currency,
    item: &ItemRequest,
    find_product: impl Fn(&str) -> Result<Option<Product>>,
    product_price: impl Fn(&Product, BillingCycle) -> Result<Option<(i64, i64)>>,
) -> Result<Option<QuoteLine>> {
    let domain = clean_domain(item);
    let option = item
        .domain_option
        .as_deref()
        .map(|o| o.trim().to_lowercase())
        .filter(|o| !o.is_empty());
    let bad_domain = |p: &mut Problems<'_>, d: &str| {
        let bad = !valid_domain(d);
        if bad {
            p.add("domain", "is not a domain name such as example.com");
        }
        bad
    };
    match item.kind.as_str() {
        "domain" => {
            let action = match option.as_deref() {
                None | Some("register") => "register",
                Some("transfer") => "transfer",
                Some(_) => {
                    p.add("domain_option", "must be register or transfer");
                    return Ok(None);
                }
            };
            let Some(name) = domain else {
                p.add("domain", "is required");
                return Ok(None);
            };
            if bad_domain(p, &name) {
                return Ok(None);
            }
            let Some(d) = price_domain(conn, p, currency, &name, action, item.years)? else {
                return Ok(None);
            };
            Ok(Some(QuoteLine {
                product: None,
                cycle: None,
                domain: Some(name),
                charges: vec![domain_charge(&d)],
                domain_order: Some(d),
                options: Vec::new(),
                addons: Vec::new(),
                discount_recurs: false,
            }))
        }
        "hosting" | "product" | "" => {
            let Some(product) = find_product(item.product.trim())? else {
                p.add("package_id", "no such product");
                return Ok(None);
            };
            let Ok(cycle) = item.billing_cycle.parse::<BillingCycle>() else {
                p.add("billing_cycle", "is not a billing cycle");
                return Ok(None);
            };
            let Some((price, setup)) = product_price(&product, cycle)? else {
                p.add(
                    "billing_cycle",
                    "this product is not sold for this cycle in this currency",
                );
                return Ok(None);
            };
            let action = match option.as_deref() {
                None | Some("existing") | Some("owndomain") => None,
                Some("register") => Some("register"),
                Some("transfer") => Some("transfer"),
                Some(_) => {
                    p.add("domain_option", "must be existing, register or transfer");
                    return Ok(None);
                }
            };
            match &domain {
                None if product.requires_domain || action.is_some() => {
                    p.add("domain", "this product needs a domain")
                }
                Some(d) => {
                    bad_domain(p, d);
                }
                None => {}
            }
            let periodic = cycle != BillingCycle::Onetime;
            let mut line = QuoteLine {
                charges: vec![
                    Charge::new(
                        ChargeKind::Service,
                        product.name.clone(),
                        1,
                        price,
                        periodic,
                    ),
                    Charge::new(
                        ChargeKind::Setup,
                        format!("Setup fee: {}", product.name),
                        1,
                        setup,
                        false,
                    ),
                ],
                cycle: Some(cycle),
                domain: domain.clone(),
                domain_order: None,
                options: Vec::new(),
                addons: Vec::new(),
                discount_recurs: false,
                product: None,
            };
            price_options(conn, p, currency, item, &product, cycle, &mut line)?;
            price_addons(conn, p, currency, item, &product, cycle, &mut line)?;
            if let (Some(action), Some(name)) =
                (action, domain.as_deref().filter(|d| valid_domain(d)))
                && let Some(d) = price_domain(conn, p, currency, name, action, item.years)?
            {
                line.charges.push(domain_charge(&d));
                line.domain_order = Some(d);
            }
            line.product = Some(product);
            Ok(Some(line))
        }
        _ => {
            p.add("type", "must be hosting (a catalog product) or domain");
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_checked_for_shape() {
        for good in ["example.com", "a-b.co.uk", "xn--bcher-kva.example"] {
            assert!(valid_domain(good), "{good}");
        }
        for bad in [
            "example",
            "-a.com",
            "a..com",
            "exa mple.com",
            "a.123",
            "Example.com",
        ] {
            assert!(!valid_domain(bad), "{bad}");
        }
    }

    #[test]
    fn an_inclusive_net_that_does_not_divide_is_one_unit() {
        let mut c = Charge::new(ChargeKind::Option, "Option: IPs".into(), 3, 200, true);
        assert_eq!(c.line_quantity(), (3, 200, "Option: IPs".into()));
        c.tax_included = true;
        c.tax = 100;
        assert_eq!(c.line_quantity(), (1, 500, "Option: IPs × 3".into()));
        c.tax = 99;
        assert_eq!(c.line_quantity(), (3, 167, "Option: IPs".into()));
    }
}
