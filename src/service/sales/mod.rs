//! The sales wing: turning a wish into an invoice. Quotes priced from the
//! catalog alone, invoice-first orders (one transaction with their keys),
//! carts, promotion codes and the guard on guessing them.

pub mod carts;
pub mod order_items;
pub mod order_lines;
pub mod orders;
pub mod promo_guard;
pub mod promotions;
