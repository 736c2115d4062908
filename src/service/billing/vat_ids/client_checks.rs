//! Checking a client's id: when its profile changes, or now on request.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta},
    config::ViesConfig,
    db::Db,
    domain::{privileges::Privilege, time::stamp, vat_id::VatStatus},
    error::{AppError, Result},
    service::{
        access::{ClientAccess, client_access},
        accounts::clients::{self as client_service, ProfileChange},
        audit::{self, Actor, Event},
        billing::taxes,
    },
    store::clients::{self, VatCheck},
};

use super::asking::{ask, in_question};

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
