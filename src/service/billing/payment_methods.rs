//! Payment methods: which ones customers may use, their fees (reference
//! 001 `/payment/fees`), and the bank transfer instructions printed with
//! unpaid invoices. Gateways (later) add their own methods.

use crate::integrations::gateways::{CARD_GATEWAYS, Gateways};
use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{money, scopes::Scope, tax, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Actor, Event},
    store::payment_methods::{self, PaymentMethod},
};

/// The methods customers may use now: enabled, and for a card gateway,
/// configured with its keys.
pub fn enabled(db: &Db, gateways: &Gateways) -> Result<Vec<PaymentMethod>> {
    let mut methods = db.read(|c| Ok(payment_methods::list(c, true)?))?;
    methods.retain(|m| !CARD_GATEWAYS.contains(&m.code.as_str()) || gateways.has(&m.code));
    Ok(methods)
}

/// One enabled method, if it is.
pub fn enabled_method(db: &Db, code: &str) -> Result<Option<PaymentMethod>> {
    db.read(|c| Ok(payment_methods::find(c, code)?.filter(|m| m.enabled)))
}

/// Every method, enabled or not (staff, `billing:read`).
pub fn all(db: &Db, staff: &StaffPrincipal) -> Result<Vec<PaymentMethod>> {
    staff.require(Scope::BillingRead)?;
    db.read(|c| Ok(payment_methods::list(c, false)?))
}

/// Changes to a method; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct MethodChange {
    pub name: Option<String>,
    pub enabled: Option<bool>,
    pub instructions: Option<String>,
    /// Percent as exact text, e.g. `"2.9"`.
    pub fee_percent: Option<String>,
    /// Exact decimal text in the invoice's currency units, e.g. `"0.30"`.
    pub fee_fixed: Option<String>,
    pub sort_order: Option<i64>,
}

/// Change a method (staff, `billing:write`).
pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    code: &str,
    change: MethodChange,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PaymentMethod> {
    staff.require(Scope::BillingWrite)?;
    db.write(|tx| {
        let mut m = payment_methods::find(tx, code)?.ok_or(AppError::NotFound)?;
        let mut errors = FieldErrors::new();
        let mut add = |f: &str, msg: String| errors.entry(f.to_string()).or_default().push(msg);
        if let Some(name) = change.name {
            let name = name.trim().to_string();
            if name.is_empty() || name.chars().count() > 60 {
                add("name", "is required (at most 60 characters)".into());
            }
            m.name = name;
        }
        if let Some(e) = change.enabled {
            m.enabled = e;
        }
        if let Some(text) = change.instructions {
            let text = text.trim().to_string();
            if text.chars().count() > 2000 {
                add("instructions", "is at most 2000 characters".into());
            }
            m.instructions = text;
        }
        if let Some(p) = change.fee_percent {
            match tax::parse_rate(&p) {
                Ok(milli) => m.fee_percent_milli = milli,
                Err(e) => add("percent_fee", e),
            }
        }
        if let Some(f) = change.fee_fixed {
            match money::parse_decimal(&f, 3) {
                Ok(v) if v >= 0 => m.fee_fixed = tax::format_rate(v),
                _ => add(
                    "fixed_fee",
                    "must be an amount such as 0.30 (at most 3 decimals, not negative)".into(),
                ),
            }
        }
        if let Some(order) = change.sort_order {
            m.sort_order = order;
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        payment_methods::update(tx, &m, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(&Principal::Staff(staff.clone())),
                action: "payment_method.updated",
                subject: Some(("payment_method", m.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "code": m.code, "enabled": m.enabled }),
            },
        )?;
        Ok(m)
    })
}
