//! The billing automation settings (one JSON document in `settings`): when
//! renewal invoices are issued, reminders and overdue notices, the late fee,
//! suspension, termination and the cancellation of stale orders.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{cycle::BillingCycle, money::parse_decimal, scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Actor, Event},
    store::settings,
};

const KEY: &str = "automation.settings";

/// A late fee: a fixed amount (decimal text in the invoice's currency) or
/// a percentage of the invoice's total, charged once, `after_days` overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LateFee {
    pub enabled: bool,
    /// `fixed` or `percent`.
    pub kind: String,
    /// "5.00" (fixed) or "10" / "2.5" (percent); a JSON number is read
    /// exactly as written too.
    #[serde(deserialize_with = "crate::domain::money_input::exact_text")]
    pub amount: String,
    pub after_days: u32,
}

impl Default for LateFee {
    fn default() -> Self {
        Self {
            enabled: false,
            kind: "fixed".into(),
            amount: "0".into(),
            after_days: 7,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AutomationSettings {
    /// Renewal invoices are issued this many days before the due date.
    pub invoice_days_before: u32,
    /// Per billing cycle (`monthly`, `annually`, ...), overriding the above.
    pub invoice_days_before_by_cycle: BTreeMap<String, u32>,
    /// Renewals of one client due in the same run share one invoice.
    pub one_invoice_per_client: bool,
    /// Account credit pays new renewal invoices as far as it goes.
    pub apply_credit_automatically: bool,
    /// A payment reminder this many days before the due date (0 = none).
    pub reminder_days_before: u32,
    /// Overdue notices this many days after the due date.
    pub overdue_reminder_days: Vec<u32>,
    pub late_fee: LateFee,
    /// Suspend services this many days overdue (null = never).
    pub suspend_after_days: Option<u32>,
    /// Terminate services this many days overdue (null = never; 30 is usual).
    pub terminate_after_days: Option<u32>,
    /// Cancel orders whose first invoice is unpaid after this many days
    /// (0 = never).
    pub cancel_unpaid_orders_after_days: u32,
    /// A domain's renewal is invoiced this many days before it expires.
    pub domain_invoice_days_before: u32,
    /// Reminders this many days before a domain expires (renewing or not).
    pub domain_reminder_days: Vec<u32>,
}

impl Default for AutomationSettings {
    fn default() -> Self {
        Self {
            invoice_days_before: 14,
            invoice_days_before_by_cycle: BTreeMap::new(),
            one_invoice_per_client: false,
            apply_credit_automatically: true,
            reminder_days_before: 7,
            overdue_reminder_days: vec![1, 3, 7],
            late_fee: LateFee::default(),
            suspend_after_days: Some(5),
            terminate_after_days: None,
            cancel_unpaid_orders_after_days: 14,
            domain_invoice_days_before: 30,
            domain_reminder_days: vec![30, 7, 1],
        }
    }
}

impl AutomationSettings {
    /// How many days before its due date a period of `cycle` is invoiced.
    pub fn days_before(&self, cycle: BillingCycle) -> u32 {
        self.invoice_days_before_by_cycle
            .get(cycle.as_str())
            .copied()
            .unwrap_or(self.invoice_days_before)
    }

    /// The most days before over every cycle (how far ahead to look).
    pub fn max_days_before(&self) -> u32 {
        self.invoice_days_before_by_cycle
            .values()
            .copied()
            .chain([self.invoice_days_before])
            .max()
            .unwrap_or(self.invoice_days_before)
    }

    /// Check the settings; answers them normalized (overdue days sorted).
    pub fn validated(mut self) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let mut add = |f: &str, m: &str| errors.entry(f.into()).or_default().push(m.to_string());
        if self.invoice_days_before > 365 {
            add("invoice_days_before", "must be from 0 to 365");
        }
        for (cycle, days) in &self.invoice_days_before_by_cycle {
            match cycle.parse::<BillingCycle>() {
                Ok(BillingCycle::Onetime) | Err(_) => add(
                    "invoice_days_before_by_cycle",
                    "keys are recurring billing cycles such as monthly or annually",
                ),
                Ok(_) if *days > 365 => {
                    add("invoice_days_before_by_cycle", "days must be from 0 to 365")
                }
                Ok(_) => {}
            }
        }
        if self.reminder_days_before > 60 {
            add("reminder_days_before", "must be from 0 to 60");
        }
        self.overdue_reminder_days.sort_unstable();
        self.overdue_reminder_days.dedup();
        if self.overdue_reminder_days.len() > 10
            || self
                .overdue_reminder_days
                .iter()
                .any(|d| !(1..=365).contains(d))
        {
            add(
                "overdue_reminder_days",
                "give at most 10 days, each from 1 to 365",
            );
        }
        let fee = &mut self.late_fee;
        fee.kind = fee.kind.trim().to_ascii_lowercase();
        fee.amount = fee.amount.trim().to_string();
        if fee.enabled {
            match fee.kind.as_str() {
                "fixed" => match parse_decimal(&fee.amount, 3) {
                    Ok(v) if v > 0 => {}
                    _ => add(
                        "late_fee.amount",
                        "must be an amount more than zero, such as 5.00",
                    ),
                },
                "percent" => match parse_decimal(&fee.amount, 3) {
                    Ok(v) if v > 0 && v <= 100_000 => {}
                    _ => add(
                        "late_fee.amount",
                        "must be a percentage above 0 and at most 100",
                    ),
                },
                _ => add("late_fee.kind", "must be fixed or percent"),
            }
            if !(1..=365).contains(&fee.after_days) {
                add("late_fee.after_days", "must be from 1 to 365");
            }
        }
        if self.suspend_after_days.is_some_and(|d| d > 365) {
            add("suspend_after_days", "must be from 0 to 365");
        }
        match (self.terminate_after_days, self.suspend_after_days) {
            (Some(t), _) if !(1..=3650).contains(&t) => {
                add("terminate_after_days", "must be from 1 to 3650")
            }
            (Some(t), Some(s)) if t <= s => add(
                "terminate_after_days",
                "must be more than suspend_after_days",
            ),
            _ => {}
        }
        if self.cancel_unpaid_orders_after_days > 365 {
            add("cancel_unpaid_orders_after_days", "must be from 0 to 365");
        }
        if self.domain_invoice_days_before > 365 {
            add("domain_invoice_days_before", "must be from 0 to 365");
        }
        self.domain_reminder_days.sort_unstable_by(|a, b| b.cmp(a));
        self.domain_reminder_days.dedup();
        if self.domain_reminder_days.len() > 10
            || self
                .domain_reminder_days
                .iter()
                .any(|d| !(1..=365).contains(d))
        {
            add(
                "domain_reminder_days",
                "give at most 10 days, each from 1 to 365",
            );
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(AppError::Validation(errors))
        }
    }

    /// The late fee on an invoice of `total` in a currency of `decimals`.
    pub fn late_fee_on(&self, total: i64, decimals: u32) -> Option<i64> {
        let fee = &self.late_fee;
        if !fee.enabled {
            return None;
        }
        let amount = match fee.kind.as_str() {
            "fixed" => parse_decimal(&fee.amount, decimals).ok()?,
            "percent" => {
                let milli = parse_decimal(&fee.amount, 3).ok()?;
                crate::domain::money::round_div(i128::from(total) * i128::from(milli), 100_000)?
            }
            _ => return None,
        };
        (amount > 0).then_some(amount)
    }
}

/// The settings as stored, or the defaults.
pub fn load(conn: &Connection) -> Result<AutomationSettings> {
    Ok(match settings::get(conn, KEY)? {
        Some(text) => serde_json::from_str(&text).map_err(AppError::internal)?,
        None => AutomationSettings::default(),
    })
}

/// The settings (needs `billing:read`).
pub fn settings(db: &Db, staff: &StaffPrincipal) -> Result<AutomationSettings> {
    staff.require(Scope::BillingRead)?;
    db.read(load)
}

/// Change the settings (needs `billing:write`); they apply from the next run.
pub fn save(
    db: &Db,
    staff: &StaffPrincipal,
    input: AutomationSettings,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<AutomationSettings> {
    staff.require(Scope::BillingWrite)?;
    let checked = input.validated()?;
    let text = serde_json::to_string(&checked).map_err(AppError::internal)?;
    db.write(|tx| {
        settings::put(tx, KEY, &text, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(&Principal::Staff(staff.clone())),
                action: "billing.automation_changed",
                subject: None,
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::to_value(&checked).map_err(AppError::internal)?,
            },
        )?;
        load(tx)
    })
}

/// Write the settings without a staff member (tests, setup scripts).
pub fn store(conn: &Connection, input: AutomationSettings, now: Timestamp) -> Result<()> {
    let checked = input.validated()?;
    let text = serde_json::to_string(&checked).map_err(AppError::internal)?;
    settings::put(conn, KEY, &text, &stamp(now))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        let d = AutomationSettings::default().validated().unwrap();
        assert_eq!(d.days_before(BillingCycle::Monthly), 14);
        let mut s = AutomationSettings::default();
        s.invoice_days_before_by_cycle.insert("annually".into(), 30);
        s.invoice_days_before_by_cycle.insert("weekly".into(), 3);
        s.overdue_reminder_days = vec![0];
        s.terminate_after_days = Some(3);
        s.late_fee = LateFee {
            enabled: true,
            kind: "percent".into(),
            amount: "150".into(),
            after_days: 3,
        };
        let Err(AppError::Validation(e)) = s.validated() else {
            panic!("accepted")
        };
        for f in [
            "invoice_days_before_by_cycle",
            "overdue_reminder_days",
            "terminate_after_days",
            "late_fee.amount",
        ] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
    }

    #[test]
    fn late_fees_are_fixed_or_a_rounded_percentage() {
        let mut s = AutomationSettings::default();
        assert_eq!(s.late_fee_on(10_000, 2), None);
        s.late_fee = LateFee {
            enabled: true,
            kind: "percent".into(),
            amount: "2.5".into(),
            after_days: 3,
        };
        assert_eq!(s.late_fee_on(1_010, 2), Some(25));
        s.late_fee = LateFee {
            enabled: true,
            kind: "fixed".into(),
            amount: "5".into(),
            after_days: 3,
        };
        assert_eq!(s.late_fee_on(1_010, 2), Some(500));
        assert_eq!(s.late_fee_on(1_010, 0), Some(5));
    }
}

/// What the next automation run would do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Preview {
    /// Each period to invoice, with its amount formatted (before tax).
    pub invoices: Vec<(crate::service::automation::renewals::DueRenewal, String)>,
    pub dunning: crate::service::automation::dunning::DunningPreview,
}

/// What the renewal and dunning jobs would do at `now`, without doing it
/// (`till jobs preview`). Late fees, reminders and suspensions are those
/// due now; a suspension that the renewals would cause is not counted.
pub fn preview(db: &Db, now: Timestamp) -> Result<Preview> {
    db.read(|c| {
        let s = load(c)?;
        let due = crate::service::automation::renewals::due(c, now, &s)?;
        let currencies = crate::store::currencies::list(c)?;
        let invoices = due
            .into_iter()
            .map(|d| {
                let cur = crate::service::billing::currency_in(&currencies, &d.currency);
                let text = crate::service::billing::format_money(d.total(), &cur);
                (d, text)
            })
            .collect();
        Ok(Preview {
            invoices,
            dunning: crate::service::automation::dunning::preview(c, now, &s)?,
        })
    })
}
