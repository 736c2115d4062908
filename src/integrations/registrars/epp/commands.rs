//! The EPP commands till sends (RFC 5730 session commands, RFC 5731
//! domain commands), as the XML inside `<command>`. Every value is
//! escaped (`xml::el`, `xml::esc`); nothing a customer typed can add an
//! element.

use jiff::civil::Date;

use super::xml::{el, esc};
use crate::integrations::registrars::Period;

pub const EPP_NS: &str = "urn:ietf:params:xml:ns:epp-1.0";
pub const DOMAIN_NS: &str = "urn:ietf:params:xml:ns:domain-1.0";
pub const CONTACT_NS: &str = "urn:ietf:params:xml:ns:contact-1.0";
pub const HOST_NS: &str = "urn:ietf:params:xml:ns:host-1.0";

/// A whole message: `body` inside `<command>`, with our transaction id.
pub fn envelope(body: &str, cl_trid: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\
         <epp xmlns=\"{EPP_NS}\"><command>{body}{}</command></epp>",
        el("clTRID", cl_trid)
    )
}

pub fn login(user: &str, password: &str, objects: &[&str], extensions: &[&str]) -> String {
    let obj: String = objects.iter().map(|u| el("objURI", u)).collect();
    let ext: String = extensions.iter().map(|u| el("extURI", u)).collect();
    let ext = if ext.is_empty() {
        String::new()
    } else {
        format!("<svcExtension>{ext}</svcExtension>")
    };
    format!(
        "<login>{}{}<options><version>1.0</version><lang>en</lang></options>\
         <svcs>{obj}{ext}</svcs></login>",
        el("clID", user),
        el("pw", password)
    )
}

pub fn logout() -> String {
    "<logout/>".to_string()
}

fn domain(verb: &str, inner: &str) -> String {
    format!("<domain:{verb} xmlns:domain=\"{DOMAIN_NS}\">{inner}</domain:{verb}>")
}

fn period(p: Period) -> String {
    format!("<domain:period unit=\"y\">{}</domain:period>", p.get())
}

fn auth_info(password: &str) -> String {
    format!(
        "<domain:authInfo>{}</domain:authInfo>",
        el("domain:pw", password)
    )
}

fn host_objs(hosts: &[String]) -> String {
    let objs: String = hosts.iter().map(|h| el("domain:hostObj", h)).collect();
    format!("<domain:ns>{objs}</domain:ns>")
}

pub fn domain_check(names: &[&str]) -> String {
    let names: String = names.iter().map(|n| el("domain:name", n)).collect();
    format!("<check>{}</check>", domain("check", &names))
}

pub fn domain_info(name: &str) -> String {
    let inner = format!("<domain:name hosts=\"all\">{}</domain:name>", esc(name));
    format!("<info>{}</info>", domain("info", &inner))
}

/// What a new domain is made of.
pub struct NewDomain<'a> {
    pub name: &'a str,
    pub period: Period,
    pub hosts: &'a [String],
    pub registrant: &'a str,
    /// Admin and tech.
    pub contact: &'a str,
    pub auth: &'a str,
}

pub fn domain_create(d: &NewDomain<'_>) -> String {
    let ns = if d.hosts.is_empty() {
        String::new()
    } else {
        host_objs(d.hosts)
    };
    let inner = format!(
        "{}{}{ns}{}\
         <domain:contact type=\"admin\">{c}</domain:contact>\
         <domain:contact type=\"tech\">{c}</domain:contact>{}",
        el("domain:name", d.name),
        period(d.period),
        el("domain:registrant", d.registrant),
        auth_info(d.auth),
        c = esc(d.contact),
    );
    format!("<create>{}</create>", domain("create", &inner))
}

pub fn domain_renew(name: &str, current_expiry: Date, p: Period) -> String {
    let inner = format!(
        "{}{}{}",
        el("domain:name", name),
        el("domain:curExpDate", &current_expiry.to_string()),
        period(p)
    );
    format!("<renew>{}</renew>", domain("renew", &inner))
}

/// RFC 5731 section 3.2.1.
pub fn domain_delete(name: &str) -> String {
    format!(
        "<delete>{}</delete>",
        domain("delete", &el("domain:name", name))
    )
}

pub fn domain_transfer_request(name: &str, p: Period, auth: &str) -> String {
    let inner = format!(
        "{}{}{}",
        el("domain:name", name),
        period(p),
        auth_info(auth)
    );
    format!(
        "<transfer op=\"request\">{}</transfer>",
        domain("transfer", &inner)
    )
}

/// Nameservers and statuses to add or remove in one `domain:update`.
#[derive(Debug, Default)]
pub struct Changes {
    pub hosts: Vec<String>,
    pub statuses: Vec<String>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.hosts.is_empty() && self.statuses.is_empty()
    }

    fn xml(&self, tag: &str) -> String {
        if self.is_empty() {
            return String::new();
        }
        let ns = if self.hosts.is_empty() {
            String::new()
        } else {
            host_objs(&self.hosts)
        };
        let statuses: String = self
            .statuses
            .iter()
            .map(|s| format!("<domain:status s=\"{}\"/>", esc(s)))
            .collect();
        format!("<domain:{tag}>{ns}{statuses}</domain:{tag}>")
    }
}

/// `None` when there is nothing to change (RFC 5731 wants at least one
/// of add, rem or chg).
pub fn domain_update(name: &str, add: &Changes, rem: &Changes) -> Option<String> {
    if add.is_empty() && rem.is_empty() {
        return None;
    }
    let inner = format!(
        "{}{}{}",
        el("domain:name", name),
        add.xml("add"),
        rem.xml("rem")
    );
    Some(format!("<update>{}</update>", domain("update", &inner)))
}
