//! The `addons`, `addon_prices`, `product_addons` and `service_addons`
//! tables.

mod addon;
mod prices;
mod products;
mod service_addon;
mod service_addon_changes;

pub use addon::{Addon, AddonFields, find, insert, list, set_status, update};
pub use prices::{prices, set_prices};
pub use products::{of_product, products_of, set_products};
pub use service_addon::{ServiceAddon, holds, of_service};
pub use service_addon_changes::{
    NewServiceAddon, activate_service_addon, cancel_pending, cancel_pending_of_order,
    follow_service_due, insert_ordered, insert_service_addon, pending_of_invoice, set_cycle,
};
