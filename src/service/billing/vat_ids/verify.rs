//! Staff verifying an id by hand.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{scopes::Scope, time::stamp, vat_id::VatStatus},
    error::{AppError, Result},
    service::{
        access::{ClientAccess, client_access},
        audit::{self, Actor, Event},
    },
    store::clients::{self, VatCheck},
};

/// `POST /clients/{client}/vat-id/verify`: staff vouch for the id
/// themselves (VIES down for days, or a member state that shares nothing),
/// so it is reverse charged. A new id or country undoes it. A customer may
/// not (403 for their own account, 404 for anyone else's).
pub fn verify(
    db: &Db,
    principal: &Principal,
    ident: &str,
    note: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ClientAccess> {
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        let Principal::Staff(staff) = principal else {
            return Err(AppError::Forbidden);
        };
        staff.require(Scope::ClientsWrite)?;
        let c = &access.client;
        let Some(vat) = c.vat_id.as_deref().filter(|v| !v.trim().is_empty()) else {
            return Err(AppError::invalid("vat_id", "the client has no VAT id"));
        };
        let note = note.trim();
        let detail = if note.is_empty() {
            format!("verified by staff #{}", staff.staff_id)
        } else {
            format!(
                "verified by staff #{}: {}",
                staff.staff_id,
                note.chars().take(200).collect::<String>()
            )
        };
        clients::record_vat_check(
            tx,
            c.id,
            vat,
            &c.country,
            &VatCheck {
                status: VatStatus::Verified.as_str(),
                source: "staff",
                detail: &detail,
                checked_at: &stamp(now),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(staff),
                action: "client.vat_id_verified",
                subject: Some(("client", c.id)),
                client_id: Some(c.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "vat_id": vat, "status": "verified", "note": note }),
            },
        )?;
        client_access(tx, principal, &c.id.to_string())
    })
}
