//! Contact (RFC 5733) and host (RFC 5732) commands: the objects a domain
//! points at.

use std::net::IpAddr;

use super::{
    commands::{CONTACT_NS, HOST_NS},
    xml::{el, esc},
};
use crate::integrations::registrars::Contact;

fn contact(verb: &str, inner: &str) -> String {
    format!("<contact:{verb} xmlns:contact=\"{CONTACT_NS}\">{inner}</contact:{verb}>")
}

fn host(verb: &str, inner: &str) -> String {
    format!("<host:{verb} xmlns:host=\"{HOST_NS}\">{inner}</host:{verb}>")
}

/// The postal info, voice and email of `c`. The `int` form must be
/// 7-bit ASCII (RFC 5733 section 2.3); a name or address with other
/// characters goes in the `loc` form instead.
fn details(c: &Contact) -> String {
    let texts = [&c.name, &c.city, &c.country]
        .into_iter()
        .chain(c.org.iter())
        .chain(c.street.iter())
        .chain(c.state.iter())
        .chain(c.postcode.iter());
    let kind = if texts.into_iter().all(|t| t.is_ascii()) {
        "int"
    } else {
        "loc"
    };
    let opt = |tag: &str, v: &Option<String>| v.as_deref().map(|v| el(tag, v)).unwrap_or_default();
    let street: String = c
        .street
        .iter()
        .take(3)
        .map(|s| el("contact:street", s))
        .collect();
    format!(
        "<contact:postalInfo type=\"{kind}\">{}{}<contact:addr>{street}{}{}{}{}</contact:addr>\
         </contact:postalInfo>{}{}",
        el("contact:name", &c.name),
        opt("contact:org", &c.org),
        el("contact:city", &c.city),
        opt("contact:sp", &c.state),
        opt("contact:pc", &c.postcode),
        el("contact:cc", &c.country.to_ascii_uppercase()),
        el("contact:voice", &c.phone),
        el("contact:email", &c.email),
    )
}

/// `c.extra` (a TLD's registrant fields) is not sent: RFC 5733 has no
/// element for them and every registry that wants such data defines its
/// own extension (`.us` nexus, `.eu` citizenship), which this generic
/// module does not speak. Staff pass them on by hand for such TLDs, or
/// map the TLD to a registrar module that sends them (LogicBoxes).
pub fn contact_create(id: &str, c: &Contact, auth: &str) -> String {
    let inner = format!(
        "{}{}<contact:authInfo>{}</contact:authInfo>",
        el("contact:id", id),
        details(c),
        el("contact:pw", auth)
    );
    format!("<create>{}</create>", contact("create", &inner))
}

pub fn contact_update(id: &str, c: &Contact) -> String {
    let inner = format!(
        "{}<contact:chg>{}</contact:chg>",
        el("contact:id", id),
        details(c)
    );
    format!("<update>{}</update>", contact("update", &inner))
}

pub fn host_check(names: &[String]) -> String {
    let names: String = names.iter().map(|n| el("host:name", n)).collect();
    format!("<check>{}</check>", host("check", &names))
}

pub fn host_create(name: &str, addrs: &[IpAddr]) -> String {
    let addrs: String = addrs
        .iter()
        .map(|a| {
            let v = if a.is_ipv4() { "v4" } else { "v6" };
            format!("<host:addr ip=\"{v}\">{}</host:addr>", esc(&a.to_string()))
        })
        .collect();
    let inner = format!("{}{addrs}", el("host:name", name));
    format!("<create>{}</create>", host("create", &inner))
}
