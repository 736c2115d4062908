//! Renewing a service ahead: invoicing its next period now.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    error::{AppError, Result},
};

use crate::service::services::service_actions::{audit_change, owned};

/// Invoice the service's next period now (reference 001 manual renew), for
/// a client who wants to pay ahead. A period already invoiced is not
/// invoiced again.
#[allow(clippy::too_many_arguments)]
pub fn renew(
    db: &Db,
    brand: &crate::service::email::Branding,
    principal: &Principal,
    client: &str,
    service: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<crate::store::invoices::Invoice> {
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        // It writes an invoice too.
        crate::service::access::staff_also_needs(
            principal,
            crate::domain::scopes::Scope::BillingWrite,
        )?;
        let invoice = crate::service::automation::renewals::renew_now(tx, brand, s.id, now)?
            .ok_or_else(|| {
                AppError::Conflict(
                    "this service has no period to renew now (not active, one-time, or ending)"
                        .into(),
                )
            })?;
        audit_change(
            tx,
            principal,
            &c,
            "service.renewed_early",
            &s,
            serde_json::json!({ "invoice": invoice.id }),
            meta,
            now,
        )?;
        Ok(invoice)
    })
}
