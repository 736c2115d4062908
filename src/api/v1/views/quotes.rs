//! Reference 000's quote shapes.

use crate::{
    domain::money::Money,
    service::{billing, sales::orders::Quote},
};
use serde::Serialize;
use utoipa::ToSchema;

/// One amount a quote line charges today.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteChargeView {
    /// service, setup, option, addon or domain (the invoice line's kind).
    pub kind: &'static str,
    pub description: String,
    pub quantity: i64,
    pub unit_price: Money,
    /// quantity × unit price, as listed.
    pub amount: Money,
    pub discount: Money,
    pub tax: Money,
    pub due_today: Money,
}

/// A configurable option as chosen.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteOptionView {
    pub option_id: i64,
    pub name: String,
    pub choice_id: i64,
    pub choice: String,
    pub quantity: i64,
    /// What it adds to each renewal.
    pub recurring: Money,
}

/// An addon as ordered.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteAddonView {
    pub addon_id: i64,
    pub name: String,
    pub billing_cycle: String,
    pub recurring: Money,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteLineView {
    /// hosting or domain.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// None for a domain on its own.
    pub package_id: Option<i64>,
    pub name: String,
    pub billing_cycle: Option<String>,
    pub domain: Option<String>,
    /// existing, register or transfer.
    pub domain_option: &'static str,
    /// The registration or transfer term.
    pub years: Option<i64>,
    /// The product's price (a domain's, for a domain alone).
    pub price: Money,
    /// The product's setup fee.
    pub setup_fee: Money,
    /// Every discount of the line.
    pub discount: Money,
    pub tax: Money,
    pub due_today: Money,
    /// What the service renews at each cycle, options included.
    pub recurring: Money,
    pub options: Vec<QuoteOptionView>,
    pub addons: Vec<QuoteAddonView>,
    /// Everything the line charges today; they add up to `due_today`.
    pub charges: Vec<QuoteChargeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteTotals {
    pub subtotal: Money,
    pub tax: Money,
    pub due_today: Money,
    /// What recurs, by cycle: `{"monthly": Money}`.
    #[schema(value_type = Object)]
    pub recurring: serde_json::Map<String, serde_json::Value>,
}

/// The tax a quote applies.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteTaxView {
    /// As printed on the invoice, e.g. `VAT 20%`.
    pub label: String,
    /// Percent as exact text, e.g. `"20"` or `"7.375"`.
    pub rate: String,
    /// The listed prices already include this tax.
    pub prices_include_tax: bool,
    /// EU reverse charge: no VAT charged; the buyer accounts for it.
    pub reverse_charge: bool,
}

/// Reference 000 `OrderQuoteResponse`.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteResponse {
    pub currency: String,
    pub items: Vec<QuoteLineView>,
    pub totals: QuoteTotals,
    /// Present when a tax rule applies to the client's place.
    pub tax: Option<QuoteTaxView>,
    /// The promotion applied, when a code was given.
    pub promotion: Option<QuotePromotionView>,
}

/// The promotion a quote applies.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotePromotionView {
    pub code: String,
    /// percent, fixed, free_setup or price_override.
    pub kind: String,
    /// Whether renewals keep the discount.
    pub recurring: bool,
}

pub(crate) fn quote_view(q: &Quote) -> QuoteResponse {
    let m = |v: i64| billing::money(v, &q.currency);
    QuoteResponse {
        promotion: q.promotion.as_ref().map(|p| QuotePromotionView {
            code: p.code.clone(),
            kind: p.kind.clone(),
            recurring: p.recurring,
        }),
        tax: q.tax.as_ref().map(|t| QuoteTaxView {
            label: t.label.clone(),
            rate: crate::domain::tax::format_rate(t.rate_milli),
            prices_include_tax: t.inclusive,
            reverse_charge: t.reverse_charge,
        }),
        currency: q.currency.code.clone(),
        items: q
            .lines
            .iter()
            .map(|l| QuoteLineView {
                kind: if l.product.is_some() {
                    "hosting"
                } else {
                    "domain"
                },
                package_id: l.product.as_ref().map(|p| p.id),
                name: match (&l.product, &l.domain) {
                    (Some(p), _) => p.name.clone(),
                    (None, d) => d.clone().unwrap_or_default(),
                },
                billing_cycle: l.cycle.map(|c| c.as_str().into()),
                domain: l.domain.clone(),
                domain_option: l.domain_order.as_ref().map_or("existing", |d| d.action),
                years: l.domain_order.as_ref().map(|d| d.years),
                price: m(l.price()),
                setup_fee: m(l.setup_fee()),
                discount: m(l.discount()),
                tax: m(l.tax()),
                due_today: m(l.due_today()),
                recurring: m(l.service_recurring()),
                options: l
                    .options
                    .iter()
                    .map(|o| QuoteOptionView {
                        option_id: o.option_id,
                        name: o.option.clone(),
                        choice_id: o.choice_id,
                        choice: o.choice.clone(),
                        quantity: o.quantity,
                        recurring: m(o.recurring),
                    })
                    .collect(),
                addons: l
                    .addons
                    .iter()
                    .map(|a| QuoteAddonView {
                        addon_id: a.addon_id,
                        name: a.name.clone(),
                        billing_cycle: a.cycle.as_str().into(),
                        recurring: m(a.recurring),
                    })
                    .collect(),
                charges: l
                    .charges
                    .iter()
                    .filter(|c| c.amount != 0 || c.kind.as_str() != "setup")
                    .map(|c| QuoteChargeView {
                        kind: c.kind.as_str(),
                        description: c.description.clone(),
                        quantity: c.quantity,
                        unit_price: m(c.unit_amount),
                        amount: m(c.amount),
                        discount: m(c.discount),
                        tax: m(c.tax),
                        due_today: m(c.due()),
                    })
                    .collect(),
            })
            .collect(),
        totals: QuoteTotals {
            subtotal: m(q.subtotal),
            tax: m(q.tax_total),
            due_today: m(q.total_due_today),
            recurring: q
                .recurring
                .iter()
                .map(|(c, v)| (c.clone(), serde_json::to_value(m(*v)).unwrap_or_default()))
                .collect(),
        },
    }
}
