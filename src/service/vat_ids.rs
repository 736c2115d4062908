//! Validating clients' VAT ids, which EU reverse charge depends on
//! (`taxes::applied_for` reverse charges only a `valid` or staff-`verified`
//! id). An id is asked about when it is set or changed, again by the
//! `vat_checks` job while VIES was unavailable (after an hour) and, once
//! valid, every `vies.recheck_days`; staff may verify one themselves.
//!
//! VIES is called with no transaction open: the client is read, VIES is
//! asked, and the answer is recorded in a second transaction, guarded so
//! that an answer about an id the client has since changed is dropped.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::principal::{Principal, RequestMeta},
    config::ViesConfig,
    db::Db,
    domain::{
        privileges::Privilege,
        scopes::Scope,
        tax,
        time::stamp,
        vat_id::{self, VatStatus},
    },
    error::{AppError, Result},
    integrations::vies::{self, ViesAnswer},
    service::{
        access::{ClientAccess, client_access},
        audit::{self, Actor, Event},
        clients::{self as client_service, ProfileChange},
        taxes,
    },
    store::clients::{self, Client, VatCheck},
};

/// How long after VIES was unavailable an id is asked about again.
pub const RETRY_AFTER: SignedDuration = SignedDuration::from_hours(1);
/// Ids the job asks about in one run.
const BATCH: i64 = 20;

/// Whether `client`'s VAT id is a question for VIES at all: an id, a buyer
/// in an EU state and a seller in another (otherwise reverse charge can
/// never apply).
fn in_question(client: &Client, seller_country: &str) -> bool {
    client
        .vat_id
        .as_deref()
        .is_some_and(|v| !v.trim().is_empty())
        && tax::reverse_charge(seller_country, &client.country, client.vat_id.as_deref())
}

struct Outcome {
    status: VatStatus,
    source: &'static str,
    detail: String,
}

async fn ask(vies_config: &ViesConfig, client: &Client) -> Outcome {
    let text = client.vat_id.clone().unwrap_or_default();
    let id = match vat_id::parse(&client.country, &text) {
        Ok(id) => id,
        Err(why) => {
            return Outcome {
                status: VatStatus::Invalid,
                source: "format",
                detail: format!("{text} {why}"),
            };
        }
    };
    let answer = vies::check(
        &vies_config.url,
        Duration::from_secs(vies_config.timeout_secs),
        id.prefix,
        &id.number,
    )
    .await;
    match answer {
        ViesAnswer::Valid {
            name,
            address,
            request_date,
        } => Outcome {
            status: VatStatus::Valid,
            source: "vies",
            detail: [name, address, format!("VIES request date {request_date}")]
                .into_iter()
                .filter(|s| !s.trim().is_empty() && s.trim() != "---")
                .collect::<Vec<_>>()
                .join(" · "),
        },
        ViesAnswer::Invalid => Outcome {
            status: VatStatus::Invalid,
            source: "vies",
            detail: "VIES does not know this number as valid".into(),
        },
        ViesAnswer::Unavailable(why) => Outcome {
            status: VatStatus::Unavailable,
            source: "vies",
            detail: format!("VIES unavailable: {why}"),
        },
    }
}

/// Ask about client `client_id`'s VAT id now, if it is a question; with
/// `force` even when it was answered already (not when staff verified it).
/// Answers whether an outcome was recorded.
pub async fn check_client(
    db: &Db,
    vies_config: &ViesConfig,
    client_id: i64,
    force: bool,
    now: Timestamp,
) -> Result<bool> {
    let (client, seller) = db
        .run(move |db| {
            db.read(|c| {
                let client = clients::find(c, client_id)?.ok_or(AppError::NotFound)?;
                Ok((client, taxes::load_settings(c)?.seller_country))
            })
        })
        .await?;
    let status = VatStatus::parse(&client.vat_status);
    if !in_question(&client, &seller)
        || status == VatStatus::Verified
        || (!force && status != VatStatus::Unchecked)
    {
        return Ok(false);
    }
    // No transaction is open while VIES thinks.
    let outcome = ask(vies_config, &client).await;
    db.run(move |db| {
        db.write(|tx| {
            let vat = client.vat_id.clone().unwrap_or_default();
            let recorded = clients::record_vat_check(
                tx,
                client.id,
                &vat,
                &client.country,
                &VatCheck {
                    status: outcome.status.as_str(),
                    source: outcome.source,
                    detail: &outcome.detail,
                    checked_at: &stamp(now),
                },
            )?;
            if recorded {
                audit::record(
                    tx,
                    now,
                    Event {
                        actor: Actor::System,
                        action: "client.vat_id_checked",
                        subject: Some(("client", client.id)),
                        client_id: Some(client.id),
                        ip: None,
                        details: serde_json::json!({
                            "vat_id": vat, "status": outcome.status.as_str(),
                            "source": outcome.source, "detail": outcome.detail,
                        }),
                    },
                )?;
            }
            Ok(recorded)
        })
    })
    .await
}

/// `PATCH /clients/{client}/profile` and the profile page: save the
/// profile, then (a new VAT id or country) ask about the id.
pub async fn update_profile(
    db: &Db,
    vies_config: &ViesConfig,
    principal: &Principal,
    ident: &str,
    change: ProfileChange,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ClientAccess> {
    let (p, i, m) = (principal.clone(), ident.to_string(), meta.clone());
    let access = db
        .run(move |db| client_service::update_profile(db, &p, &i, change, &m, now))
        .await?;
    if !check_client(db, vies_config, access.client.id, false, now).await? {
        return Ok(access);
    }
    reread(db, principal, access.client.id).await
}

async fn reread(db: &Db, principal: &Principal, client_id: i64) -> Result<ClientAccess> {
    let p = principal.clone();
    db.run(move |db| db.read(|c| client_access(c, &p, &client_id.to_string())))
        .await
}

/// `POST /clients/{client}/vat-id/check`: ask VIES again now (a member who
/// may change the profile, or staff with `clients:write`).
pub async fn check_now(
    db: &Db,
    vies_config: &ViesConfig,
    principal: &Principal,
    ident: &str,
    now: Timestamp,
) -> Result<ClientAccess> {
    let (p, i) = (principal.clone(), ident.to_string());
    let access = db
        .run(move |db| {
            db.read(|c| {
                let access = client_access(c, &p, &i)?;
                access.require_change(Privilege::MiscEditMain)?;
                Ok(access)
            })
        })
        .await?;
    check_client(db, vies_config, access.client.id, true, now).await?;
    reread(db, principal, access.client.id).await
}

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

/// The `vat_checks` job: ask about ids never checked, those VIES could not
/// answer an hour ago or more, and valid ones older than `recheck_days`.
/// Answers how many outcomes were recorded.
pub async fn run_due(db: &Db, vies_config: &ViesConfig, now: Timestamp) -> Result<u64> {
    let retry_before = stamp(now.checked_sub(RETRY_AFTER).unwrap_or(now));
    let recheck_before = (vies_config.recheck_days > 0).then(|| {
        let age = SignedDuration::from_hours(24 * i64::from(vies_config.recheck_days));
        stamp(now.checked_sub(age).unwrap_or(now))
    });
    let countries = serde_json::to_string(&tax::EU).map_err(AppError::internal)?;
    let due = db
        .run(move |db| {
            db.read(|c| {
                if !tax::in_eu(&taxes::load_settings(c)?.seller_country) {
                    return Ok(Vec::new());
                }
                Ok(clients::due_vat_checks(
                    c,
                    &countries,
                    &retry_before,
                    recheck_before.as_deref(),
                    BATCH,
                )?)
            })
        })
        .await?;
    let mut recorded = 0;
    for id in due {
        if check_client(db, vies_config, id, true, now).await? {
            recorded += 1;
        }
    }
    Ok(recorded)
}

/// The line an invoice carries when an EU business buyer is charged VAT
/// because its id is not validated: why, so the buyer knows what to fix.
pub fn vat_charged_note(client: &Client) -> String {
    let vat = client.vat_id.as_deref().unwrap_or_default();
    let day = client
        .vat_checked_at
        .as_deref()
        .and_then(|t| t.get(..10))
        .unwrap_or("");
    let why = match (
        VatStatus::parse(&client.vat_status),
        client.vat_source.as_deref(),
    ) {
        (VatStatus::Invalid, Some("format")) => format!("{vat} is not a well-formed VAT id"),
        (VatStatus::Invalid, _) => {
            format!("the VAT id {vat} is not valid according to VIES (checked {day})")
        }
        (VatStatus::Unavailable, _) => {
            format!("the VAT id {vat} could not be validated (VIES was unavailable on {day})")
        }
        _ => format!("the VAT id {vat} has not been validated yet"),
    };
    format!("VAT charged: {why}, so the EU reverse charge does not apply.")
}

/// What is known about a VAT id, in words (`validated by VIES on
/// 2026-01-15`), from its status, source and check time.
pub fn describe(status: &str, source: Option<&str>, checked_at: Option<&str>) -> String {
    let day = checked_at.and_then(|t| t.get(..10)).unwrap_or("");
    match (VatStatus::parse(status), source) {
        (VatStatus::Valid, _) => format!("validated by VIES on {day}"),
        (VatStatus::Verified, _) => format!("verified by staff on {day}"),
        (VatStatus::Invalid, Some("format")) => "not a well-formed VAT id".into(),
        (VatStatus::Invalid, _) => format!("not valid according to VIES (checked {day})"),
        (VatStatus::Unavailable, _) => {
            format!("not validated yet: VIES was unavailable on {day}; it is asked again later")
        }
        (VatStatus::Unchecked, _) => "not validated yet".into(),
    }
}

/// `describe` for a client with a VAT id.
pub fn describe_client(c: &Client) -> Option<String> {
    c.vat_id.as_deref().filter(|v| !v.trim().is_empty())?;
    Some(describe(
        &c.vat_status,
        c.vat_source.as_deref(),
        c.vat_checked_at.as_deref(),
    ))
}
