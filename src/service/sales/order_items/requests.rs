//! What an order item asks for, as the client sends it.

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
