//! The product page's order form: what it posts, how that becomes the same
//! `ItemRequest` the API builds, and the fields it shows for a product's
//! options, addons and domain. Reusable by anything that adds a product
//! from a form (a cart, later).
//!
//! Field names: `billing_cycle`, `domain`, `domain_option`
//! (existing/register/transfer), `years`, `epp_code` (a transfer's auth
//! code: never shown back, so a re-rendered form asks for it again),
//! `field_<key>` (a TLD's registrant field), `option_<id>` (a choice id, a
//! quantity, or `yes` for a ticked box) and `addon_<id>` (present when
//! ticked).

use std::collections::{BTreeMap, BTreeSet};

use crate::{
    config::Secret,
    domain::cycle::BillingCycle,
    error::FieldErrors,
    service::{
        billing,
        catalog::addons::PricedAddon,
        catalog::config_options::OptionWithChoices,
        sales::orders::{ItemRequest, OptionRequest},
    },
    store::{catalog::Price, currencies::Currency},
};

/// The posted order form.
#[derive(Debug, Default, Clone)]
pub struct OrderForm {
    pub csrf: String,
    pub order_key: String,
    pub billing_cycle: String,
    pub domain: String,
    pub domain_option: String,
    pub years: String,
    pub promo_code: String,
    /// A transfer's auth code (redacted in `Debug`).
    pub epp_code: Secret,
    /// Registrant field key -> value (blank ones are left out).
    pub domain_fields: BTreeMap<String, String>,
    /// Option id -> value.
    pub options: BTreeMap<String, String>,
    /// Ticked addon ids.
    pub addons: BTreeSet<String>,
}

impl OrderForm {
    /// Read the posted pairs; unknown names are ignored.
    pub fn parse(pairs: Vec<(String, String)>) -> Self {
        let mut f = OrderForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => f.csrf = v,
                "order_key" => f.order_key = v,
                "billing_cycle" => f.billing_cycle = v,
                "domain" => f.domain = v,
                "domain_option" => f.domain_option = v,
                "years" => f.years = v,
                "promo_code" => f.promo_code = v,
                "epp_code" => f.epp_code = Secret::new(v),
                _ => {
                    if let Some(key) = k.strip_prefix("field_") {
                        if !v.trim().is_empty() {
                            f.domain_fields.insert(key.to_string(), v);
                        }
                    } else if let Some(id) = k.strip_prefix("option_") {
                        f.options.insert(id.to_string(), v);
                    } else if let Some(id) = k.strip_prefix("addon_")
                        && !v.is_empty()
                    {
                        f.addons.insert(id.to_string());
                    }
                }
            }
        }
        f
    }
}

/// The item a product page's form asks for.
pub fn item_from_form(product: &str, form: &OrderForm) -> ItemRequest {
    let domain = Some(form.domain.trim().to_lowercase()).filter(|d| !d.is_empty());
    ItemRequest {
        kind: "hosting".into(),
        product: product.to_string(),
        billing_cycle: form.billing_cycle.clone(),
        domain,
        domain_option: Some(form.domain_option.trim().to_string()).filter(|o| !o.is_empty()),
        // Not a number: a value the service refuses by name.
        years: match form.years.trim() {
            "" => None,
            y => Some(y.parse().unwrap_or(u32::MAX)),
        },
        options: form
            .options
            .iter()
            .map(|(option, value)| OptionRequest {
                option: option.clone(),
                value: value.clone(),
            })
            .collect(),
        addons: form.addons.iter().cloned().collect(),
        epp_code: Some(form.epp_code.clone()).filter(|c| !c.expose().trim().is_empty()),
        epp_code_sealed: None,
        domain_fields: form.domain_fields.clone(),
    }
}

/// Move the service's field names (`items.0.options.1.value`) to the
/// form's (`option_12`).
pub fn form_errors(item: &ItemRequest, errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (key, messages) in errors {
        let rest = key.strip_prefix("items.0.").unwrap_or(&key);
        let parts: Vec<&str> = rest.split('.').collect();
        let field = match parts.as_slice() {
            ["options", j, ..] => j
                .parse::<usize>()
                .ok()
                .and_then(|j| item.options.get(j))
                .map_or("options".to_string(), |o| format!("option_{}", o.option)),
            ["addons", ..] => "addons".to_string(),
            ["package_id"] => "billing_cycle".to_string(),
            ["domain_fields", key] => format!("field_{key}"),
            _ => rest.to_string(),
        };
        out.entry(field).or_default().extend(messages);
    }
    out
}

/// `$6.00 monthly, $17.00 quarterly` for the product's cycles; empty when
/// free.
fn price_text(prices: &[Price], cur: &Currency, cycles: &[BillingCycle], unit: &str) -> String {
    let parts: Vec<String> = cycles
        .iter()
        .filter_map(|c| {
            prices
                .iter()
                .find(|p| p.currency == cur.code && p.cycle == c.as_str())
                .filter(|p| p.price > 0 || p.setup_fee > 0)
                .map(|p| {
                    let setup = if p.setup_fee > 0 {
                        format!(" + {} setup", billing::format_money(p.setup_fee, cur))
                    } else {
                        String::new()
                    };
                    format!(
                        "{}{unit} {}{setup}",
                        billing::format_money(p.price, cur),
                        c.label().to_lowercase()
                    )
                })
        })
        .collect();
    parts.join(", ")
}

pub struct ChoiceField {
    pub id: String,
    pub name: String,
    /// Empty when included in the price.
    pub price: String,
}

pub struct OptionField {
    /// The form field: `option_<id>`.
    pub field: String,
    pub name: String,
    /// dropdown, radio, quantity or yesno.
    pub kind: String,
    pub required: bool,
    pub min: i64,
    pub max: i64,
    pub choices: Vec<ChoiceField>,
    /// What the form shows as chosen.
    pub value: String,
}

/// One TLD's registrant fields, as the domain part of the form shows them.
pub struct RegistrantFieldGroup {
    pub tld: String,
    pub fields: Vec<RegistrantFieldInput>,
}

pub struct RegistrantFieldInput {
    /// The form field: `field_<key>`.
    pub field: String,
    pub label: String,
    pub required: bool,
    /// Allowed values (a select); empty: free text up to `max_length`.
    pub values: Vec<String>,
    pub max_length: usize,
    pub value: String,
}

/// The registrant fields of every TLD that has some, each group labelled
/// with its TLD: the form cannot know the domain's TLD before it is
/// typed, and only the typed domain's TLD's fields are taken.
pub fn registrant_field_groups(
    tlds: &[crate::service::catalog::tlds::PricedTld],
    form: &OrderForm,
) -> Vec<RegistrantFieldGroup> {
    tlds.iter()
        .filter(|t| !t.tld.registrant_fields.is_empty())
        .map(|t| RegistrantFieldGroup {
            tld: t.tld.tld.clone(),
            fields: t
                .tld
                .registrant_fields
                .iter()
                .map(|s| RegistrantFieldInput {
                    field: format!("field_{}", s.key),
                    label: s.label.clone(),
                    required: s.required,
                    values: s.values.clone(),
                    max_length: s
                        .max_length
                        .unwrap_or(crate::domain::registrant_fields::MAX_VALUE_LEN),
                    value: form.domain_fields.get(&s.key).cloned().unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
}

pub struct AddonField {
    /// The form field: `addon_<id>`.
    pub field: String,
    pub name: String,
    pub description: String,
    pub price: String,
    pub checked: bool,
}

pub fn option_fields(
    options: &[OptionWithChoices],
    cur: &Currency,
    cycles: &[BillingCycle],
    form: &OrderForm,
) -> Vec<OptionField> {
    options
        .iter()
        .map(|o| {
            let id = o.option.id.to_string();
            let unit = if o.option.kind == "quantity" {
                " each"
            } else {
                ""
            };
            let given = form.options.get(&id).cloned();
            let value = match o.option.kind.as_str() {
                "dropdown" | "radio" => given
                    .or_else(|| o.choices.first().map(|c| c.choice.id.to_string()))
                    .unwrap_or_default(),
                "quantity" => given.unwrap_or_else(|| o.option.min_quantity.to_string()),
                _ => given.unwrap_or_default(),
            };
            OptionField {
                field: format!("option_{id}"),
                name: o.option.name.clone(),
                kind: o.option.kind.clone(),
                required: o.option.required,
                min: o.option.min_quantity,
                max: o
                    .option
                    .max_quantity
                    .unwrap_or(crate::service::catalog::config_options::QUANTITY_CAP),
                choices: o
                    .choices
                    .iter()
                    .map(|c| ChoiceField {
                        id: c.choice.id.to_string(),
                        name: c.choice.name.clone(),
                        price: price_text(&c.prices, cur, cycles, unit),
                    })
                    .collect(),
                value,
            }
        })
        .collect()
}

pub fn addon_fields(
    addons: &[PricedAddon],
    cur: &Currency,
    cycles: &[BillingCycle],
    form: &OrderForm,
) -> Vec<AddonField> {
    let mut with_once = cycles.to_vec();
    with_once.insert(0, BillingCycle::Onetime);
    addons
        .iter()
        .map(|a| {
            let id = a.addon.id.to_string();
            AddonField {
                field: format!("addon_{id}"),
                name: a.addon.name.clone(),
                description: a.addon.description.clone(),
                price: price_text(&a.prices, cur, &with_once, ""),
                checked: form.addons.contains(&id),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_form_becomes_the_apis_item() {
        let form = OrderForm::parse(
            [
                ("billing_cycle", "monthly"),
                ("domain", " Example.COM "),
                ("domain_option", "register"),
                ("years", "2"),
                ("option_7", "3"),
                ("option_3", "yes"),
                ("addon_5", "on"),
                ("addon_6", ""),
                ("other", "x"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        );
        let item = item_from_form("vps", &form);
        assert_eq!(item.product, "vps");
        assert_eq!(item.domain.as_deref(), Some("example.com"));
        assert_eq!(item.domain_option.as_deref(), Some("register"));
        assert_eq!(item.years, Some(2));
        assert_eq!(item.addons, vec!["5".to_string()]);
        assert_eq!(item.options.len(), 2);
        assert_eq!(item.options[0].option, "3");
        let mut errors = FieldErrors::new();
        errors.insert("items.0.options.1.value".into(), vec!["too many".into()]);
        errors.insert("items.0.domain".into(), vec!["bad".into()]);
        let mapped = form_errors(&item, errors);
        assert!(mapped.contains_key("option_7"));
        assert!(mapped.contains_key("domain"));
    }
}
