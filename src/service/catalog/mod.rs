//! The catalog wing: what is for sale. Currencies, product groups,
//! products and their prices (here), addons, configurable options, TLDs,
//! and the sample catalog.
//!
//! The catalog: currencies, product groups, products and their prices.
//! Staff change it (scope `catalog:write`); everyone may read what is
//! visible. Amounts arrive as exact decimal strings or minor units, never
//! as floats, and are stored as minor units.

pub mod addons;
pub mod config_options;
pub mod sample;
pub mod tlds;

mod currencies;
mod groups;
mod price_checks;
mod product_checks;
mod products;
mod reading;
mod staff_audit;
mod validation;

pub use currencies::{currencies, save_currency};
pub use groups::{GroupInput, create_group, update_group};
pub use price_checks::PriceInput;
pub(crate) use price_checks::{amount, check_prices};
pub use product_checks::ProductInput;
pub use products::{create_product, retire_product, update_product};
pub use reading::{
    PricedProduct, ProductDetail, all_products, public_group, public_groups, public_product,
    public_product_detail, public_products, staff_product,
};
pub(crate) use staff_audit::audit;
pub use validation::slugify;
pub(crate) use validation::{add, fail, valid_slug};

pub(crate) use crate::store::is_unique_violation as unique_violation;

pub const PRODUCT_KINDS: [&str; 5] = ["hosting", "vps", "dedicated", "ssl", "other"];
pub const PRODUCT_STATUSES: [&str; 3] = ["visible", "hidden", "retired"];
