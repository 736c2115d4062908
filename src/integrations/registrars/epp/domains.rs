//! The domain commands behind each operation, and what their answers
//! mean: check, info, renew (from the current expiry), transfer and the
//! transfer lock.

use jiff::{Timestamp, tz::TimeZone};

use super::{
    commands::{self, Changes},
    lower,
    response::{Response, unreadable},
    session::Session,
    xml::Node,
};
use crate::integrations::registrars::{
    Check, DomainInfo, Outcome, Pending, Period, RegistrarError, Transfer,
};

/// The statuses a lock sets: no transfer and no deletion on request.
pub const LOCK: [&str; 2] = ["clientTransferProhibited", "clientDeleteProhibited"];

/// A domain's info with what only the EPP module needs.
pub struct InfoData {
    pub info: DomainInfo,
    pub registrant: Option<String>,
    /// Admin, tech and billing contact ids.
    pub contacts: Vec<String>,
    pub auth: Option<String>,
    /// The registrar sponsoring the domain (`clID`).
    pub sponsor: Option<String>,
}

pub async fn check(s: &mut Session, names: &[&str]) -> Result<Vec<Check>, RegistrarError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<String> = names.iter().map(|n| lower(n)).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let r = s.command(&commands::domain_check(&refs)).await?;
    let data = r.data()?;
    Ok(data
        .children_named("cd")
        .filter_map(|cd| {
            let name = cd.child("name")?;
            Some(Check {
                name: name.text.to_ascii_lowercase(),
                available: matches!(name.attr("avail"), Some("1" | "true")),
                reason: cd.text_at(&["reason"]).map(str::to_string),
            })
        })
        .collect())
}

/// An EPP dateTime (`2027-12-03T10:07:36.0Z`).
pub fn timestamp(text: &str) -> Result<Timestamp, RegistrarError> {
    text.parse()
        .map_err(|_| unreadable(&format!("{text:?} is not a date and time")))
}

/// The `exDate` in a response's data, when it has one.
pub fn expiry(data: &Node) -> Result<Option<Timestamp>, RegistrarError> {
    data.text_at(&["exDate"]).map(timestamp).transpose()
}

fn done_or_pending(r: &Response, what: &str) -> Result<Outcome, RegistrarError> {
    if r.pending() {
        return Ok(Outcome::Pending(Pending::Registry(format!(
            "{what}: {}",
            r.message
        ))));
    }
    Ok(Outcome::Done {
        expiry: expiry(r.data()?)?,
    })
}

pub async fn info(s: &mut Session, name: &str) -> Result<InfoData, RegistrarError> {
    let r = s.command(&commands::domain_info(name)).await?;
    read_info(&r, name)
}

/// A `domain:infData` answer (RFC 5731 section 3.1.2).
fn read_info(r: &Response, name: &str) -> Result<InfoData, RegistrarError> {
    let d = r.data()?;
    let mut statuses: Vec<String> = d
        .children_named("status")
        .filter_map(|n| n.attr("s").map(str::to_string))
        .collect();
    let nameservers = d
        .child("ns")
        .map(|ns| {
            ns.children_named("hostObj")
                .map(|h| h.text.to_ascii_lowercase())
                .chain(
                    ns.children_named("hostAttr")
                        .filter_map(|h| h.text_at(&["hostName"]).map(str::to_ascii_lowercase)),
                )
                .collect()
        })
        .unwrap_or_default();
    // RGP's statuses (redemptionPeriod, pendingRestore, ...) ride in the
    // response's extension.
    if let Some(ext) = &r.extension {
        for rgp in ext.children_named("infData") {
            statuses.extend(
                rgp.children_named("rgpStatus")
                    .filter_map(|n| n.attr("s").map(str::to_string)),
            );
        }
    }
    let locked = statuses.iter().any(|s| s == "clientTransferProhibited");
    Ok(InfoData {
        info: DomainInfo {
            name: d.text_at(&["name"]).unwrap_or(name).to_ascii_lowercase(),
            expiry: expiry(d)?,
            statuses,
            nameservers,
            locked,
            id_protection: None,
        },
        registrant: d.text_at(&["registrant"]).map(str::to_string),
        contacts: d
            .children_named("contact")
            .map(|c| c.text.clone())
            .collect(),
        auth: d
            .text_at(&["authInfo", "pw"])
            .filter(|pw| !pw.is_empty())
            .map(str::to_string),
        sponsor: d.text_at(&["clID"]).map(str::to_string),
    })
}

/// Renew from the expiry the registry has now: `curExpDate` guards
/// against renewing twice (a repeat names a date that is no longer
/// current and is refused).
pub async fn renew(s: &mut Session, name: &str, period: Period) -> Result<Outcome, RegistrarError> {
    let current = info(s, name)
        .await?
        .info
        .expiry
        .ok_or_else(|| unreadable("domain:info gave no expiry date"))?;
    let date = current.to_zoned(TimeZone::UTC).date();
    let r = s
        .command(&commands::domain_renew(name, date, period))
        .await?;
    done_or_pending(&r, "renewal")
}

/// Delete the name; a name the registry already holds for deletion
/// (`pendingDelete`) or no longer has (2303) is done: an earlier attempt
/// went through.
pub async fn delete(s: &mut Session, name: &str) -> Result<Outcome, RegistrarError> {
    match info(s, name).await {
        Ok(d) if d.info.statuses.iter().any(|st| st == "pendingDelete") => {
            return Ok(Outcome::Done { expiry: None });
        }
        Ok(_) => {}
        Err(RegistrarError::Refused { code, .. }) if code == "2303" => {
            return Ok(Outcome::Done { expiry: None });
        }
        Err(e) => return Err(e),
    }
    s.command(&commands::domain_delete(name)).await?;
    // 1000 (deleted) and 1001 (pendingDelete) both mean the registry took it.
    Ok(Outcome::Done { expiry: None })
}

pub async fn transfer(s: &mut Session, req: &Transfer) -> Result<Outcome, RegistrarError> {
    let name = lower(&req.name);
    let body = commands::domain_transfer_request(&name, req.period, req.auth_code.expose());
    let r = s.command(&body).await?;
    let status = r
        .data
        .as_ref()
        .and_then(|d| d.children.first())
        .and_then(|d| d.text_at(&["trStatus"]).map(str::to_string));
    match status.as_deref() {
        Some("serverApproved" | "clientApproved") if !r.pending() => Ok(Outcome::Done {
            expiry: expiry(r.data()?)?,
        }),
        _ => Ok(Outcome::Pending(Pending::TransferApproval)),
    }
}

pub async fn set_lock(
    s: &mut Session,
    name: &str,
    locked: bool,
) -> Result<Outcome, RegistrarError> {
    let now = info(s, name).await?.info.statuses;
    let has = |st: &str| now.iter().any(|n| n == st);
    let mut add = Changes::default();
    let mut rem = Changes::default();
    for st in LOCK {
        match (locked, has(st)) {
            (true, false) => add.statuses.push(st.to_string()),
            (false, true) => rem.statuses.push(st.to_string()),
            _ => {}
        }
    }
    match commands::domain_update(name, &add, &rem) {
        Some(body) => {
            let r = s.command(&body).await?;
            pending_or_done(&r)
        }
        None => Ok(Outcome::Done { expiry: None }),
    }
}

/// An update's answer: done (1000) or queued by the registry (1001).
pub fn pending_or_done(r: &Response) -> Result<Outcome, RegistrarError> {
    if r.pending() {
        Ok(Outcome::Pending(Pending::Registry(r.message.clone())))
    } else {
        Ok(Outcome::Done { expiry: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrations::registrars::epp::response;

    #[test]
    fn domain_info_reads_statuses_hosts_contacts_and_redemption() {
        let r = response::response(
            r#"<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><response>
            <result code="1000"><msg>Command completed successfully</msg></result>
            <resData><domain:infData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
            <domain:name>Example.COM</domain:name><domain:roid>EXAMPLE1-REP</domain:roid>
            <domain:status s="clientTransferProhibited"/><domain:status s="serverHold"/>
            <domain:registrant>jd1234</domain:registrant>
            <domain:contact type="admin">sh8013</domain:contact>
            <domain:contact type="tech">sh8013</domain:contact>
            <domain:ns><domain:hostObj>NS1.example.net</domain:hostObj>
            <domain:hostAttr><domain:hostName>ns2.example.com</domain:hostName></domain:hostAttr>
            </domain:ns><domain:clID>ClientX</domain:clID>
            <domain:exDate>2027-04-03T22:00:00.0Z</domain:exDate>
            <domain:authInfo><domain:pw>2fooBAR</domain:pw></domain:authInfo>
            </domain:infData></resData>
            <extension><rgp:infData xmlns:rgp="urn:ietf:params:xml:ns:rgp-1.0">
            <rgp:rgpStatus s="redemptionPeriod"/></rgp:infData></extension>
            <trID><clTRID>t-1</clTRID><svTRID>s-1</svTRID></trID></response></epp>"#,
        )
        .unwrap();
        let d = read_info(&r, "example.com").unwrap();
        assert_eq!(d.info.name, "example.com");
        assert_eq!(
            d.info.statuses,
            ["clientTransferProhibited", "serverHold", "redemptionPeriod"]
        );
        assert!(d.info.locked);
        assert_eq!(d.info.nameservers, ["ns1.example.net", "ns2.example.com"]);
        assert_eq!(d.info.expiry, Some("2027-04-03T22:00:00Z".parse().unwrap()));
        assert_eq!(d.registrant.as_deref(), Some("jd1234"));
        assert_eq!(d.contacts, ["sh8013", "sh8013"]);
        assert_eq!(d.auth.as_deref(), Some("2fooBAR"));
        assert_eq!(d.sponsor.as_deref(), Some("ClientX"));
    }

    #[test]
    fn an_expiry_that_is_not_a_date_is_unreadable_and_transient() {
        assert!(timestamp("next year").unwrap_err().retryable());
        assert!(timestamp("2027-04-03T22:00:00+02:00").is_ok());
    }
}
