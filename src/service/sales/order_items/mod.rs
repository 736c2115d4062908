//! What an order item asks for and how it is priced: a product with its
//! configurable options, its addons and a domain to register or transfer,
//! or a domain on its own (registered, transferred with its auth code,
//! or one of the client's own renewed ahead). Every amount comes from the
//! catalog.
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
mod charge;
mod choices;
mod domain_details;
mod domain_prices;
mod domain_renewals;
mod options;
mod pricing;
mod problems;
mod quote_line;
mod requests;
#[cfg(test)]
mod tests;

pub use charge::{Charge, ChargeKind};
pub use choices::{AuthCode, ChosenAddon, ChosenOption, DomainOrder, Renewal};
pub use domain_details::EPP_CODE_MAX;
pub(crate) use domain_details::{CART_EPP_CODE, seal_for_domain};
pub(crate) use domain_renewals::Renewer;
pub use domain_renewals::max_renewal_years;
pub(crate) use pricing::price_item;
pub(crate) use problems::Problems;
pub use quote_line::QuoteLine;
pub use requests::{ItemRequest, OptionRequest};

use crate::store::catalog::Product;
