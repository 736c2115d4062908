//! Staff catalog resources in reference 002's style: products with their
//! prices, product groups, currencies, and the pricing matrix.

mod currencies;
mod groups;
mod pricing;
mod product_bodies;
mod product_reads;
mod product_writes;

pub use currencies::{__path_save_currency, CurrencyRequest, StaffCurrencyResponse, save_currency};
pub use groups::{
    __path_create_group, __path_update_group, GroupRequest, StaffGroupResponse, create_group,
    update_group,
};
pub use pricing::{__path_pricing, PricingMatrix, PricingRow, pricing};
pub use product_bodies::{
    PriceRequest, ProductRequest, StaffProduct, StaffProductList, StaffProductResponse, StatusQuery,
};
pub use product_reads::{__path_get_product, __path_list_products, get_product, list_products};
pub use product_writes::{
    __path_create_product, __path_retire_product, __path_update_product, create_product,
    retire_product, update_product,
};
