//! Reference 003's cart shapes: amounts, items, totals.

use crate::api::v1::carts::PromotionBody;
use crate::api::v1::views::quotes::{QuoteResponse, quote_view};
use crate::{
    service::{sales::carts::CartSummary, sales::orders::ItemRequest},
    store::carts::Cart,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Reference 003 `Amount`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Amount {
    /// Exact decimal text, e.g. `"19.99"`.
    pub value: String,
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecurringAmount {
    pub cycle: String,
    pub amount: Amount,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiscountLine {
    pub name: String,
    pub amount: Amount,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxLine {
    pub name: String,
    /// Percent as exact text, e.g. `"7.5"`.
    pub percentage: String,
    pub amount: Amount,
}

/// An item as it was asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct CartItemView {
    pub item_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub product_id: String,
    pub billing_cycle: String,
    pub domain: Option<String>,
}

/// Reference 003 `CartTotal`, with the cart's id, its items and the
/// priced lines (reference 000's quote) beside it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CartTotal {
    pub cart_id: String,
    pub currency: String,
    pub recurring: Vec<RecurringAmount>,
    pub subtotal: Amount,
    pub discount: Vec<DiscountLine>,
    pub tax: Vec<TaxLine>,
    pub total: Amount,
    pub promo_code: Option<String>,
    pub items: Vec<CartItemView>,
    /// The priced lines; absent for an empty cart.
    pub quote: Option<QuoteResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CartTotalResponse {
    pub data: CartTotal,
}

pub(crate) fn amount(minor: i64, code: &str, decimals: u32) -> Amount {
    Amount {
        value: crate::domain::money::format_decimal(minor, decimals),
        code: code.to_string(),
    }
}

pub(crate) fn item_view(item_id: &str, r: &ItemRequest) -> CartItemView {
    CartItemView {
        item_id: item_id.to_string(),
        kind: if r.kind.is_empty() {
            "product".into()
        } else {
            r.kind.clone()
        },
        product_id: r.product.clone(),
        billing_cycle: r.billing_cycle.clone(),
        domain: r.domain.clone(),
    }
}

pub(crate) fn cart_total(s: &CartSummary) -> CartTotal {
    let items = s.items.iter().map(|(id, r)| item_view(id, r)).collect();
    let Some(q) = &s.quote else {
        let decimals = crate::domain::money::decimals(&s.currency);
        let zero = || amount(0, &s.currency, decimals);
        return CartTotal {
            cart_id: s.cart.public_id.clone(),
            currency: s.currency.clone(),
            recurring: Vec::new(),
            subtotal: zero(),
            discount: Vec::new(),
            tax: Vec::new(),
            total: zero(),
            promo_code: s.cart.promo_code.clone(),
            items,
            quote: None,
        };
    };
    let (code, decimals) = (q.currency.code.as_str(), q.currency.decimals);
    let discount: i64 = q.lines.iter().map(|l| l.discount()).sum();
    CartTotal {
        cart_id: s.cart.public_id.clone(),
        currency: code.to_string(),
        recurring: q
            .recurring
            .iter()
            .map(|(c, v)| RecurringAmount {
                cycle: c.as_str().to_string(),
                amount: amount(*v, code, decimals),
            })
            .collect(),
        subtotal: amount(q.subtotal, code, decimals),
        discount: q
            .promotion
            .as_ref()
            .filter(|_| discount > 0)
            .map(|p| DiscountLine {
                name: format!("Promotion {}", p.code),
                amount: amount(discount, code, decimals),
            })
            .into_iter()
            .collect(),
        tax: q
            .tax
            .as_ref()
            .filter(|_| q.tax_total > 0)
            .map(|t| TaxLine {
                name: t.label.clone(),
                percentage: crate::domain::tax::format_rate(t.rate_milli),
                amount: amount(q.tax_total, code, decimals),
            })
            .into_iter()
            .collect(),
        total: amount(q.total_due_today, code, decimals),
        promo_code: q.promotion.as_ref().map(|p| p.code.clone()),
        items,
        quote: Some(quote_view(q)),
    }
}

/// Reference 003 `Cart`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CartView {
    pub id: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) fn cart_view(c: &Cart) -> CartView {
    CartView {
        id: c.public_id.clone(),
        status: c.status.clone(),
        created_at: c.created_at.clone(),
        updated_at: c.updated_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CartCreated {
    pub data: CartView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CartList {
    pub data: Vec<CartView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CartItems {
    pub data: Vec<CartItemView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionResponse {
    pub data: PromotionBody,
}
