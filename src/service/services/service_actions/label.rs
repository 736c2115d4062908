//! Labelling a service.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    store::orders,
};

use super::audit_change::audit_change;
use super::records::{ServiceRecord, owned, record};

/// Set (or, with an empty text, clear) a service's label.
pub fn set_label(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
    label: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServiceRecord> {
    let label = label.trim();
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        if label.chars().count() > 100 {
            return Err(AppError::invalid("label", "at most 100 characters"));
        }
        orders::set_label(tx, s.id, Some(label).filter(|l| !l.is_empty()), &stamp(now))?;
        audit_change(
            tx,
            principal,
            &c,
            "service.labelled",
            &s,
            serde_json::json!({ "label": label }),
            meta,
            now,
        )?;
        let s = orders::find_service(tx, &s.id.to_string())?.ok_or(AppError::NotFound)?;
        record(tx, s)
    })
}
