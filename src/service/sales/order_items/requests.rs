//! What an order item asks for, as the client sends it.

use std::collections::BTreeMap;

use crate::config::Secret;

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
    /// items), `transfer`, or `renew` (a domain item for one of the
    /// client's own domains).
    pub domain_option: Option<String>,
    /// The registration, transfer or renewal term, 1 to 10 (default 1).
    pub years: Option<u32>,
    pub options: Vec<OptionRequest>,
    /// Addon ids, uuids or slugs.
    pub addons: Vec<String>,
    /// A transfer's auth (EPP) code as the customer typed it. Never
    /// serialized: a cart keeps `epp_code_sealed` instead, and `Secret`
    /// redacts it in `Debug`, so it reaches no log.
    #[serde(skip_serializing, default)]
    pub epp_code: Option<Secret>,
    /// The same code sealed (`auth::sealed::seal_text`, purpose
    /// `CART_EPP_CODE`), as a cart row keeps it. Only carts set it; the API and
    /// the pages never read it from a caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epp_code_sealed: Option<String>,
    /// Per-TLD registrant fields (`{"us_nexus": "C11"}`), checked against
    /// the TLD's spec.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domain_fields: BTreeMap<String, String>,
}
