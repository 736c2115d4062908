//! Asking to cancel a service, and the recurring charges it holds.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{cycle::BillingCycle, time::stamp},
    error::{AppError, Result},
    service::{billing, email::Branding, notifications},
    store::{
        automation as automation_store, catalog, config_options,
        orders::{self, Service},
        service_changes,
    },
};

use super::audit_change::audit_change;
use super::cancel_when::CancelWhen;
use super::cancellation::{confirm_cancellation, end_now};
use super::records::{ServiceRecord, owned, record};
use crate::domain::status::ServiceStatus;

/// What the service's plan costs per period in `cycle` and its currency:
/// the product's price plus its configurable options' prices. `None` when
/// the product (or a chosen option) is not sold in that cycle.
pub(crate) fn recurring_in(
    conn: &Connection,
    service: &Service,
    product_id: i64,
    cycle: BillingCycle,
    with_options: bool,
) -> Result<Option<i64>> {
    let Some(base) = catalog::prices(conn, product_id)?
        .into_iter()
        .find(|p| p.currency == service.currency && p.cycle == cycle.as_str())
        .map(|p| p.price)
    else {
        return Ok(None);
    };
    let mut total = base;
    if with_options {
        for o in config_options::of_service(conn, service.id)? {
            let price = config_options::choice_prices(conn, o.choice_id)?
                .into_iter()
                .find(|p| p.currency == service.currency && p.cycle == cycle.as_str())
                .map(|p| p.price);
            match price {
                Some(p) => total += p * o.quantity,
                // A free choice has no prices at all.
                None if config_options::choice_prices(conn, o.choice_id)?.is_empty() => {}
                None => return Ok(None),
            }
        }
    }
    Ok(Some(total))
}

/// Ask to cancel a service. Immediately: it ends now and its module is
/// asked to terminate it. At the end of the billing period: it keeps
/// running until its paid period ends (the dunning job ends it). One
/// request per service; asking again is a 409 and changes nothing. The
/// client is told once, in the request's transaction: a portal
/// notification and a confirmation email saying what happens and when.
#[allow(clippy::too_many_arguments)]
pub fn cancel(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    client: &str,
    service: &str,
    when: CancelWhen,
    reason: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServiceRecord> {
    let reason = reason.trim();
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        if reason.chars().count() > 1000 {
            return Err(AppError::invalid("reason", "at most 1000 characters"));
        }
        if !matches!(
            s.status,
            ServiceStatus::Active | ServiceStatus::Suspended | ServiceStatus::Pending
        ) {
            return Err(AppError::Conflict(format!(
                "the service is already {}",
                s.status
            )));
        }
        let by = match principal {
            Principal::User(u) => format!("user:{}", u.user_id),
            Principal::Staff(st) => format!("staff:{}", st.staff_id),
        };
        if !service_changes::insert_cancellation(tx, s.id, when.as_str(), reason, &by, &stamp(now))?
        {
            return Err(AppError::Conflict(
                "a cancellation was already requested".into(),
            ));
        }
        match when {
            CancelWhen::Immediate => end_now(tx, &s, now)?,
            // The dunning job ends it once its paid period is over, and
            // renewals stop invoicing it.
            CancelWhen::EndOfPeriod => {
                automation_store::set_cancel_at_period_end(tx, s.id, reason, &stamp(now))?;
            }
        }
        // Renewals it will not have are not owed.
        let from = match when {
            CancelWhen::Immediate => "",
            CancelWhen::EndOfPeriod => s.next_due_date.as_deref().unwrap_or(""),
        };
        billing::cancel_renewals_from(tx, s.id, from, "service_cancelled", now)?;
        audit_change(
            tx,
            principal,
            &c,
            "service.cancellation_requested",
            &s,
            serde_json::json!({ "when": when.as_str(), "reason": reason }),
            meta,
            now,
        )?;
        notifications::notify(
            tx,
            c.id,
            "cancellation",
            match when {
                CancelWhen::Immediate => "A service was cancelled",
                CancelWhen::EndOfPeriod => "A service will end with its billing period",
            },
            s.next_due_date
                .as_deref()
                .filter(|_| when == CancelWhen::EndOfPeriod)
                .unwrap_or(""),
            &format!("/account/services/{}", s.id),
            now,
        )?;
        confirm_cancellation(tx, brand, &c, &s, when, now)?;
        let s = orders::find_service(tx, &s.id.to_string())?.ok_or(AppError::NotFound)?;
        record(tx, s)
    })
}
