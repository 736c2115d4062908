//! Configurable options of an order item: each chosen value checked
//! against its option and priced in the item's cycle and currency.

use rusqlite::Connection;

use super::*;
use crate::{
    domain::cycle::BillingCycle, error::Result, service::catalog::config_options,
    store::currencies::Currency,
};

fn yes(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "on" | "y" => Some(true),
        "0" | "no" | "false" | "off" | "n" | "" => Some(false),
        _ => None,
    }
}

/// Price a configurable option's choice (× quantity) and add its charges.
#[allow(clippy::too_many_arguments)]
fn option_charges(
    p: &mut Problems<'_>,
    field: &str,
    currency: &Currency,
    cycle: BillingCycle,
    o: &config_options::OptionWithChoices,
    choice: &config_options::PricedChoice,
    quantity: i64,
    line: &mut QuoteLine,
) {
    let Some((price, setup)) = choice.price_for(&currency.code, cycle.as_str()) else {
        p.add(
            field,
            "this choice is not sold for this cycle in this currency",
        );
        return;
    };
    let (Some(amount), Some(setup_amount)) =
        (price.checked_mul(quantity), setup.checked_mul(quantity))
    else {
        p.add(field, "is too large");
        return;
    };
    let what = match o.option.kind.as_str() {
        "dropdown" | "radio" => format!("{} {}", o.option.name, choice.choice.name),
        _ => o.option.name.clone(),
    };
    let periodic = cycle != BillingCycle::Onetime;
    if amount > 0 {
        line.charges.push(Charge::new(
            ChargeKind::Option,
            format!("Option: {what}"),
            quantity,
            price,
            periodic,
        ));
    }
    if setup_amount > 0 {
        line.charges.push(Charge::new(
            ChargeKind::Setup,
            format!("Setup fee: {what}"),
            quantity,
            setup,
            false,
        ));
    }
    line.options.push(ChosenOption {
        option_id: o.option.id,
        option: o.option.name.clone(),
        kind: o.option.kind.clone(),
        choice_id: choice.choice.id,
        choice: choice.choice.name.clone(),
        quantity,
        recurring: if periodic { amount } else { 0 },
    });
}

pub(super) fn price_options(
    conn: &Connection,
    p: &mut Problems<'_>,
    currency: &Currency,
    item: &ItemRequest,
    product: &Product,
    cycle: BillingCycle,
    line: &mut QuoteLine,
) -> Result<()> {
    let options = config_options::of_product(conn, product.id, false)?;
    let mut given: Vec<(i64, usize, &str)> = Vec::new();
    for (j, req) in item.options.iter().enumerate() {
        let ident = req.option.trim();
        match options
            .iter()
            .find(|o| o.option.id.to_string() == ident || o.option.uuid == ident)
        {
            None => p.add(
                &format!("options.{j}.option"),
                "is not an option of this product",
            ),
            Some(o) if given.iter().any(|g| g.0 == o.option.id) => {
                p.add(&format!("options.{j}.option"), "is given twice")
            }
            Some(o) => given.push((o.option.id, j, req.value.trim())),
        }
    }
    for o in &options {
        let asked = given.iter().find(|g| g.0 == o.option.id);
        let field = match asked {
            Some((_, j, _)) => format!("options.{j}.value"),
            None => "options".to_string(),
        };
        let value = match asked {
            Some((_, _, v)) if !v.is_empty() => Some(*v),
            _ if o.option.required => {
                p.add(&field, format!("{} is required", o.option.name));
                continue;
            }
            _ => None,
        };
        match o.option.kind.as_str() {
            "dropdown" | "radio" => {
                // Not given: the first choice, as the store's form shows it.
                let choice = match value {
                    None => o.choices.first(),
                    Some(v) => {
                        let found = o.choices.iter().find(|c| c.choice.id.to_string() == v);
                        if found.is_none() {
                            p.add(&field, format!("is not a choice of {}", o.option.name));
                        }
                        found
                    }
                };
                if let Some(c) = choice {
                    option_charges(p, &field, currency, cycle, o, c, 1, line);
                }
            }
            "quantity" => {
                let max = o
                    .option
                    .max_quantity
                    .unwrap_or(config_options::QUANTITY_CAP);
                let quantity = match value.map(str::parse::<i64>) {
                    None => o.option.min_quantity,
                    Some(Ok(q)) if (o.option.min_quantity..=max).contains(&q) => q,
                    Some(_) => {
                        p.add(
                            &field,
                            format!(
                                "must be a whole number from {} to {max}",
                                o.option.min_quantity
                            ),
                        );
                        continue;
                    }
                };
                if let Some(c) = o.choices.first().filter(|_| quantity > 0) {
                    option_charges(p, &field, currency, cycle, o, c, quantity, line);
                }
            }
            _ => match value.map(yes) {
                None | Some(Some(false)) => {}
                Some(Some(true)) => {
                    if let Some(c) = o.choices.first() {
                        option_charges(p, &field, currency, cycle, o, c, 1, line);
                    }
                }
                Some(None) => p.add(&field, "must be yes or no"),
            },
        }
    }
    Ok(())
}
