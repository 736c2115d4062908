//! Client accounts as their members and staff see them: the list, one
//! account, its profile, overview, dashboard and event feed.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{privileges::Privilege, scopes::Scope, time::stamp, vat_id},
    error::{AppError, FieldErrors, Result},
    service::{
        access::{ClientAccess, client_access},
        accounts::{check_profile, tidy_profile},
        audit::{self, Event},
        client_feed::{self, FeedEvent},
    },
    store::{Page, PageRequest, audit as audit_store, clients, memberships, users},
};

/// `GET /me`: the user and the clients they belong to.
pub fn me(db: &Db, user_id: i64) -> Result<(users::User, Vec<(clients::Client, String)>)> {
    db.read(|c| {
        let user = users::find(c, user_id)?.ok_or(AppError::Unauthenticated)?;
        let clients = clients::for_user(c, user_id)?;
        Ok((user, clients))
    })
}

/// The clients a principal may see, each with the principal's access. A
/// user sees their memberships; staff see every client.
pub fn list(
    db: &Db,
    principal: &Principal,
    search: Option<&str>,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<ClientAccess>> {
    db.read(|c| match principal {
        Principal::User(u) => {
            let rows: Vec<ClientAccess> = clients::for_user(c, u.user_id)?
                .into_iter()
                .map(|(client, _)| client_access(c, principal, &client.id.to_string()))
                .collect::<Result<_>>()?;
            let total = rows.len() as i64;
            Ok(Page { rows, total })
        }
        Principal::Staff(s) => {
            s.require(Scope::ClientsRead)?;
            let page = clients::list(c, search, status, page)?;
            let rows = page
                .rows
                .into_iter()
                .map(|client| ClientAccess {
                    client,
                    grant: crate::service::access::Grant::Staff(s.clone()),
                })
                .collect();
            Ok(Page {
                rows,
                total: page.total,
            })
        }
    })
}

pub fn get(db: &Db, principal: &Principal, ident: &str) -> Result<ClientAccess> {
    db.read(|c| client_access(c, principal, ident))
}

/// Changes to a profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub kind: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub vat_id: Option<String>,
}

/// `PATCH /clients/{client}/profile`: needs `misc.editmain`.
pub fn update_profile(
    db: &Db,
    principal: &Principal,
    ident: &str,
    change: ProfileChange,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ClientAccess> {
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        access.require_change(Privilege::MiscEditMain)?;
        let before = clients::Profile::of(&access.client);
        let mut p = before.clone();
        let set = |field: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *field = v;
            }
        };
        set(&mut p.kind, change.kind);
        set(&mut p.first_name, change.first_name);
        set(&mut p.last_name, change.last_name);
        set(&mut p.email, change.email);
        set(&mut p.phone, change.phone);
        set(&mut p.address1, change.address1);
        set(&mut p.address2, change.address2);
        set(&mut p.city, change.city);
        set(&mut p.state, change.state);
        set(&mut p.postcode, change.postcode);
        set(&mut p.country, change.country);
        if change.company_name.is_some() {
            p.company_name = change.company_name;
        }
        if change.company_number.is_some() {
            p.company_number = change.company_number;
        }
        if change.vat_id.is_some() {
            p.vat_id = change.vat_id;
        }
        tidy_profile(&mut p);
        let mut errors = FieldErrors::new();
        check_profile(&p, &mut errors);
        if p.vat_id != before.vat_id || p.country != before.country {
            check_vat_id(&mut p, &mut errors);
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        clients::update_profile(tx, access.client.id, &p, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: principal.into(),
                action: "client.profile_updated",
                subject: Some(("client", access.client.id)),
                client_id: Some(access.client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "changed": changed_fields(&before, &p) }),
            },
        )?;
        client_access(tx, principal, &access.client.id.to_string())
    })
}

/// A VAT id of an EU buyer must be shaped as its member state writes them
/// (VIES is asked about it after the save); it is stored tidied, with its
/// prefix (`FR12345678901`).
pub(crate) fn check_vat_id(p: &mut clients::Profile, errors: &mut FieldErrors) {
    let Some(vat) = p.vat_id.clone().filter(|v| !v.trim().is_empty()) else {
        return;
    };
    if vat_id::prefix_for(&p.country).is_none() {
        return;
    }
    match vat_id::parse(&p.country, &vat) {
        Ok(id) => p.vat_id = Some(id.full()),
        Err(why) => errors.entry("vat_id".into()).or_default().push(why),
    }
}

fn changed_fields(a: &clients::Profile, b: &clients::Profile) -> Vec<&'static str> {
    let pairs: [(&'static str, bool); 14] = [
        ("kind", a.kind != b.kind),
        ("first_name", a.first_name != b.first_name),
        ("last_name", a.last_name != b.last_name),
        ("company_name", a.company_name != b.company_name),
        ("company_number", a.company_number != b.company_number),
        ("email", a.email != b.email),
        ("phone", a.phone != b.phone),
        ("address1", a.address1 != b.address1),
        ("address2", a.address2 != b.address2),
        ("city", a.city != b.city),
        ("state", a.state != b.state),
        ("postcode", a.postcode != b.postcode),
        ("country", a.country != b.country),
        ("vat_id", a.vat_id != b.vat_id),
    ];
    pairs
        .into_iter()
        .filter(|(_, c)| *c)
        .map(|(n, _)| n)
        .collect()
}

/// Counts of what the account holds, limited to what the principal may see.
#[derive(Debug, Clone)]
pub struct Overview {
    pub contacts: i64,
    /// Only with `billing.balance`.
    pub credit_balance: Option<i64>,
}

pub fn overview(db: &Db, principal: &Principal, ident: &str) -> Result<(ClientAccess, Overview)> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        let overview = Overview {
            contacts: memberships::count_for_client(c, access.client.id, "contact")?,
            credit_balance: access
                .can(Privilege::BillingBalance)
                .then_some(access.client.credit_balance),
        };
        Ok((access, overview))
    })
}

/// The account's event feed (`client_feed`: what its members may see of
/// its audit trail); needs `misc.emails`. Staff read the full trail in the
/// audit log.
pub fn events(
    db: &Db,
    principal: &Principal,
    ident: &str,
    page: PageRequest,
) -> Result<(ClientAccess, Page<FeedEvent>)> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::MiscEmails)?;
        let hidden = serde_json::to_string(client_feed::HIDDEN).map_err(AppError::internal)?;
        let rows = audit_store::list_for_client(c, access.client.id, &hidden, page)?;
        let viewer = match principal {
            Principal::User(u) => Some(u.user_id),
            Principal::Staff(_) => None,
        };
        Ok((
            access,
            Page {
                rows: rows
                    .rows
                    .iter()
                    .map(|r| client_feed::present(r, viewer))
                    .collect(),
                total: rows.total,
            },
        ))
    })
}

/// The dashboard: the overview and, when allowed, the latest events.
pub fn dashboard(
    db: &Db,
    principal: &Principal,
    ident: &str,
) -> Result<(ClientAccess, Overview, Vec<FeedEvent>)> {
    let (access, overview) = overview(db, principal, ident)?;
    let recent = if access.can(Privilege::MiscEmails) {
        events(
            db,
            principal,
            ident,
            PageRequest {
                page: 1,
                per_page: 10,
            },
        )?
        .1
        .rows
    } else {
        Vec::new()
    };
    Ok((access, overview, recent))
}
