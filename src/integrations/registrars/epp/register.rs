//! The operations that make or change objects besides the domain:
//! registering (contact, hosts, domain, then the hosts inside it), the
//! nameservers, and the contacts' details.

use super::{
    EppConfig,
    commands::{self, CONTACT_NS, Changes, HOST_NS, NewDomain},
    domains::{self, pending_or_done},
    lower, objects,
    session::Session,
};
use crate::{
    auth::random,
    integrations::registrars::{
        Contact, Nameserver, Outcome, Pending, RegistrarError, Registration,
    },
};

/// A new contact id: the prefix (at most 4 characters) and 12 random
/// hex digits, inside EPP's 3 to 16.
fn contact_id(prefix: &str) -> String {
    let prefix: String = prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(4)
        .collect();
    format!("{prefix}{}", hex::encode(random::bytes::<6>()))
}

/// An auth code for a new object. Registries' password rules ask for
/// upper and lower case, digits and a symbol; the random part gives the
/// strength, the fixed tail makes every class certain.
fn auth_code() -> String {
    format!("{}-7Qa", random::password())
}

/// Make sure every host in `hosts` exists at the registry: those the
/// registry does not know are created, with their addresses when they
/// live inside `domain` (glue) and without otherwise.
async fn ensure_hosts(
    s: &mut Session,
    domain: &str,
    hosts: &[&Nameserver],
) -> Result<(), RegistrarError> {
    if hosts.is_empty() || !s.offers(HOST_NS) {
        return Ok(());
    }
    let names: Vec<String> = hosts.iter().map(|h| lower(&h.host)).collect();
    let r = s.command(&objects::host_check(&names)).await?;
    let missing: Vec<String> = r
        .data()?
        .children_named("cd")
        .filter_map(|cd| cd.child("name"))
        .filter(|n| matches!(n.attr("avail"), Some("1" | "true")))
        .map(|n| n.text.to_ascii_lowercase())
        .collect();
    for host in hosts.iter().filter(|h| missing.contains(&lower(&h.host))) {
        let addrs = if host.is_inside(domain) {
            host.addrs.as_slice()
        } else {
            &[]
        };
        s.command(&objects::host_create(&lower(&host.host), addrs))
            .await?;
    }
    Ok(())
}

/// A repeated registration (a retry after an answer that never came)
/// finds the name taken, by us: that is the first attempt's success, not
/// a refusal, so the task runner never registers twice or gives up on a
/// name it holds.
pub async fn register(
    s: &mut Session,
    req: &Registration,
    config: &EppConfig,
) -> Result<Outcome, RegistrarError> {
    match create(s, req, &config.contact_prefix).await {
        Err(RegistrarError::Refused { code, message }) if code == "2302" => {
            let held = domains::info(s, &lower(&req.name)).await?;
            if held.sponsor.as_deref() == Some(config.username.as_str()) {
                Ok(Outcome::Done {
                    expiry: held.info.expiry,
                })
            } else {
                Err(RegistrarError::Refused { code, message })
            }
        }
        other => other,
    }
}

async fn create(
    s: &mut Session,
    req: &Registration,
    prefix: &str,
) -> Result<Outcome, RegistrarError> {
    let name = lower(&req.name);
    if !s.offers(CONTACT_NS) {
        return Err(RegistrarError::Unsupported(
            "registration at a registry without contact objects",
        ));
    }
    let id = contact_id(prefix);
    s.command(&objects::contact_create(&id, &req.contact, &auth_code()))
        .await?;
    // Hosts inside the new domain can only exist once it does.
    let (inside, outside): (Vec<&Nameserver>, Vec<&Nameserver>) =
        req.nameservers.iter().partition(|n| n.is_inside(&name));
    ensure_hosts(s, &name, &outside).await?;
    let hosts: Vec<String> = outside.iter().map(|n| lower(&n.host)).collect();
    let r = s
        .command(&commands::domain_create(&NewDomain {
            name: &name,
            period: req.period,
            hosts: &hosts,
            registrant: &id,
            contact: &id,
            auth: &auth_code(),
        }))
        .await?;
    if r.pending() {
        let later: Vec<&str> = inside.iter().map(|n| n.host.as_str()).collect();
        let mut reason = format!("registration: {}", r.message);
        if !later.is_empty() {
            reason.push_str(&format!("; add nameservers {} once done", later.join(", ")));
        }
        return Ok(Outcome::Pending(Pending::Registry(reason)));
    }
    let expiry = domains::expiry(r.data()?)?;
    if !inside.is_empty() {
        ensure_hosts(s, &name, &inside).await?;
        let add = Changes {
            hosts: inside.iter().map(|n| lower(&n.host)).collect(),
            ..Changes::default()
        };
        if let Some(body) = commands::domain_update(&name, &add, &Changes::default()) {
            s.command(&body).await?;
        }
    }
    Ok(Outcome::Done { expiry })
}

pub async fn set_nameservers(
    s: &mut Session,
    name: &str,
    nameservers: &[Nameserver],
) -> Result<Outcome, RegistrarError> {
    let current = domains::info(s, name).await?.info.nameservers;
    let wanted: Vec<String> = nameservers.iter().map(|n| lower(&n.host)).collect();
    let new: Vec<&Nameserver> = nameservers
        .iter()
        .filter(|n| !current.contains(&lower(&n.host)))
        .collect();
    ensure_hosts(s, name, &new).await?;
    let add = Changes {
        hosts: new.iter().map(|n| lower(&n.host)).collect(),
        ..Changes::default()
    };
    let rem = Changes {
        hosts: current
            .into_iter()
            .filter(|h| !wanted.contains(h))
            .collect(),
        ..Changes::default()
    };
    match commands::domain_update(name, &add, &rem) {
        Some(body) => pending_or_done(&s.command(&body).await?),
        None => Ok(Outcome::Done { expiry: None }),
    }
}

/// Update every contact object the domain points at (registrant, admin,
/// tech) with `contact`'s details.
pub async fn update_contacts(
    s: &mut Session,
    name: &str,
    contact: &Contact,
) -> Result<Outcome, RegistrarError> {
    let data = domains::info(s, name).await?;
    let mut ids: Vec<String> = data.registrant.into_iter().chain(data.contacts).collect();
    ids.sort();
    ids.dedup();
    for id in &ids {
        s.command(&objects::contact_update(id, contact)).await?;
    }
    Ok(Outcome::Done { expiry: None })
}
