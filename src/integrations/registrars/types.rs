//! What a registrar is asked with and answers in. Names are ASCII
//! (punycode for IDNs), already checked by the caller; the registrar
//! lower-cases them and refuses nothing on its own account.

use std::{collections::BTreeMap, net::IpAddr};

use jiff::Timestamp;

use super::RegistrarError;
use crate::config::Secret;

/// A contact as a registry keeps it, made from a client's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub org: Option<String>,
    /// One to three address lines.
    pub street: Vec<String>,
    pub city: String,
    pub state: Option<String>,
    pub postcode: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `DE`.
    pub country: String,
    /// EPP's `+CC.NNNN` form, e.g. `+49.301234567`.
    pub phone: String,
    pub email: String,
    /// The TLD's registrant fields (`us_nexus` -> `C11`), as staff named
    /// them per TLD and the customer gave them when ordering. LogicBoxes
    /// sends them as contact attributes; the manual registrar lists them
    /// in the staff to-do; generic EPP has no standard element for them
    /// (each registry has its own extension), so the EPP module does not
    /// send them.
    pub extra: BTreeMap<String, String>,
}

impl Contact {
    /// The same contact with a domain's registrant fields.
    pub fn with_extra(self, extra: &BTreeMap<String, String>) -> Contact {
        Contact {
            extra: extra.clone(),
            ..self
        }
    }

    /// The phone's country code and number (`+49.301234567` is `49`,
    /// `301234567`), for APIs that take them apart.
    pub fn phone_parts(&self) -> Result<(&str, &str), RegistrarError> {
        self.phone
            .strip_prefix('+')
            .and_then(|p| p.split_once('.'))
            .filter(|(cc, n)| {
                (1..=3).contains(&cc.len())
                    && !n.is_empty()
                    && cc.chars().chain(n.chars()).all(|c| c.is_ascii_digit())
            })
            .ok_or_else(|| {
                RegistrarError::Misconfigured(format!(
                    "the phone number {:?} is not in the +CC.NNNN form",
                    self.phone
                ))
            })
    }
}

/// A nameserver; addresses matter only for a host inside the domain
/// itself (glue), which the registry must be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nameserver {
    pub host: String,
    pub addrs: Vec<IpAddr>,
}

impl Nameserver {
    pub fn named(host: &str) -> Nameserver {
        Nameserver {
            host: host.to_ascii_lowercase(),
            addrs: Vec::new(),
        }
    }

    /// Whether this host lives inside `domain` (`ns1.example.com` in
    /// `example.com`), so it needs glue and can only exist after it.
    pub fn is_inside(&self, domain: &str) -> bool {
        self.host
            .to_ascii_lowercase()
            .strip_suffix(&domain.to_ascii_lowercase())
            .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
    }
}

/// A registration or renewal term: one to ten years (RFC 5731's bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period(u8);

impl Period {
    pub fn years(n: u8) -> Result<Period, RegistrarError> {
        if (1..=10).contains(&n) {
            Ok(Period(n))
        } else {
            Err(RegistrarError::Misconfigured(format!(
                "a period is 1 to 10 years, not {n}"
            )))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A name to register.
#[derive(Debug, Clone)]
pub struct Registration {
    pub name: String,
    pub period: Period,
    pub nameservers: Vec<Nameserver>,
    /// Registrant, and admin and tech contact too.
    pub contact: Contact,
    pub id_protection: bool,
}

/// A name to bring over from another registrar.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub name: String,
    pub auth_code: Secret,
    /// Years added by the transfer, where the registry adds any.
    pub period: Period,
    pub contact: Contact,
    pub nameservers: Vec<Nameserver>,
}

/// Whether a name can be registered here, as the registrar sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub available: bool,
    /// The registrar's reason when it is not (e.g. "In use", "reserved").
    pub reason: Option<String>,
}

/// Why an accepted action is not finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// A person does it: the service turns it into a staff to-do, and the
    /// domain moves on when staff mark it done.
    Manual(String),
    /// A transfer waits for the losing registrar or the registrant.
    TransferApproval,
    /// The registry queued it (EPP 1001, a LogicBoxes order in progress);
    /// `info` tells when it is done.
    Registry(String),
}

/// What an action that was accepted came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done; `expiry` is the domain's expiry afterwards, when the
    /// registrar said (registration, renewal).
    Done {
        expiry: Option<Timestamp>,
    },
    Pending(Pending),
}

/// A domain as the registrar has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainInfo {
    pub name: String,
    pub expiry: Option<Timestamp>,
    /// The registry's statuses as it words them (`ok`,
    /// `clientTransferProhibited`, `redemptionPeriod`, ...).
    pub statuses: Vec<String>,
    pub nameservers: Vec<String>,
    /// Whether a transfer away is prohibited at the client's request.
    pub locked: bool,
    /// Whether ID protection (WHOIS privacy) is on, where the registrar
    /// says.
    pub id_protection: Option<bool>,
}

/// A domain's auth code (EPP code), or why it cannot be had now.
#[derive(Debug, Clone)]
pub enum EppCode {
    Code(Secret),
    Pending(Pending),
}

/// A DNS record at a registrar that hosts the domain's DNS. `host` is
/// relative to the domain (`@` for the apex, `www`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    pub host: String,
    /// `A`, `AAAA`, `CNAME`, `MX`, `TXT`, `NS`.
    pub kind: String,
    pub value: String,
    pub ttl: u32,
    /// MX preference.
    pub priority: Option<u16>,
}
