//! The addons of an order item, priced in the item's cycle (or one-time)
//! and currency.

use std::collections::HashSet;

use rusqlite::Connection;

use super::*;
use crate::{
    domain::cycle::BillingCycle, error::Result, service::catalog::addons,
    store::currencies::Currency,
};

pub(super) fn price_addons(
    conn: &Connection,
    p: &mut Problems<'_>,
    currency: &Currency,
    item: &ItemRequest,
    product: &Product,
    cycle: BillingCycle,
    line: &mut QuoteLine,
) -> Result<()> {
    if item.addons.is_empty() {
        return Ok(());
    }
    let available = addons::orderable_with(conn, product.id)?;
    let mut seen = HashSet::new();
    for (j, ident) in item.addons.iter().enumerate() {
        let field = format!("addons.{j}");
        let ident = ident.trim();
        let Some(a) = available.iter().find(|a| {
            a.addon.id.to_string() == ident || a.addon.uuid == ident || a.addon.slug == ident
        }) else {
            p.add(&field, "is not an addon of this product");
            continue;
        };
        if !seen.insert(a.addon.id) {
            p.add(&field, "is listed twice");
            continue;
        }
        let Some(price) = a.price_for(&currency.code, cycle.as_str()) else {
            p.add(
                &field,
                "this addon is not sold for this cycle in this currency",
            );
            continue;
        };
        let addon_cycle = if price.cycle == "onetime" {
            BillingCycle::Onetime
        } else {
            cycle
        };
        let periodic = addon_cycle != BillingCycle::Onetime;
        line.charges.push(Charge::new(
            ChargeKind::Addon,
            format!("Addon: {}", a.addon.name),
            1,
            price.price,
            periodic,
        ));
        if price.setup_fee > 0 {
            line.charges.push(Charge::new(
                ChargeKind::Setup,
                format!("Setup fee: {}", a.addon.name),
                1,
                price.setup_fee,
                false,
            ));
        }
        line.addons.push(ChosenAddon {
            addon_id: a.addon.id,
            name: a.addon.name.clone(),
            cycle: addon_cycle,
            recurring: if periodic { price.price } else { 0 },
        });
    }
    Ok(())
}
