//! A renewal invoice's lines: grouping periods and their descriptions.

use std::collections::BTreeMap;

use super::due::DueRenewal;

pub(super) fn group(periods: Vec<DueRenewal>, per_client: bool) -> Vec<Vec<DueRenewal>> {
    if !per_client {
        return periods.into_iter().map(|p| vec![p]).collect();
    }
    let mut by: BTreeMap<(i64, String), Vec<DueRenewal>> = BTreeMap::new();
    for p in periods {
        by.entry((p.client_id, p.currency.clone()))
            .or_default()
            .push(p);
    }
    by.into_values().collect()
}

pub(super) fn describe(p: &DueRenewal) -> String {
    let what = match &p.domain {
        Some(d) => format!("{} ({d})", p.product),
        None => p.product.clone(),
    };
    let last = p.period_end.yesterday().unwrap_or(p.period_end);
    format!("{what} {} to {last}", p.period_start)
}

pub(super) fn describe_addon(p: &DueRenewal, name: &str) -> String {
    let last = p.period_end.yesterday().unwrap_or(p.period_end);
    format!("Addon: {name} {} to {last}", p.period_start)
}
