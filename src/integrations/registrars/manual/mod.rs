//! The manual registrar, the default: a person registers, renews and
//! changes the domain at whatever registrar the business uses. Every
//! action is accepted as `Pending::Manual` with the to-do's words; the
//! service shows it to staff and the domain moves on when they mark it
//! done. Nothing here reaches the network.

use futures_util::future::{FutureExt, ready};

use super::{
    Call, Check, Contact, DomainInfo, EppCode, Nameserver, Outcome, Pending, Period, Registrar,
    RegistrarError, Registration, Transfer,
};

pub struct Manual;

fn todo<'a>(text: String) -> Call<'a, Outcome> {
    ready(Ok(Outcome::Pending(Pending::Manual(text)))).boxed()
}

fn years(period: Period) -> String {
    match period.get() {
        1 => "1 year".to_string(),
        n => format!("{n} years"),
    }
}

/// `; registrant fields: us_nexus C11, us_purpose P1` (nothing without).
fn fields(c: &Contact) -> String {
    if c.extra.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = c.extra.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!("; registrant fields: {}", pairs.join(", "))
}

fn hosts(nameservers: &[Nameserver]) -> String {
    let names: Vec<&str> = nameservers.iter().map(|n| n.host.as_str()).collect();
    if names.is_empty() {
        "the registrar's default nameservers".to_string()
    } else {
        names.join(", ")
    }
}

impl Registrar for Manual {
    fn name(&self) -> &'static str {
        "manual"
    }
    fn check<'a>(&'a self, _names: &'a [&'a str]) -> Call<'a, Vec<Check>> {
        // There is nobody to ask; availability comes from RDAP/WHOIS.
        ready(Err(RegistrarError::Unsupported("availability checks"))).boxed()
    }
    fn register<'a>(&'a self, req: &'a Registration) -> Call<'a, Outcome> {
        todo(format!(
            "Register {} for {} with nameservers {}, registrant {} <{}>{}{}",
            req.name,
            years(req.period),
            hosts(&req.nameservers),
            req.contact.name,
            req.contact.email,
            if req.id_protection {
                ", with ID protection"
            } else {
                ""
            },
            fields(&req.contact)
        ))
    }
    fn transfer<'a>(&'a self, req: &'a Transfer) -> Call<'a, Outcome> {
        // The auth code stays out of the to-do text: staff read it where
        // it is stored sealed.
        todo(format!(
            "Transfer {} in for registrant {} <{}>{}",
            req.name,
            req.contact.name,
            req.contact.email,
            fields(&req.contact)
        ))
    }
    fn renew<'a>(&'a self, name: &'a str, period: Period) -> Call<'a, Outcome> {
        todo(format!("Renew {name} for {}", years(period)))
    }
    fn info<'a>(&'a self, _name: &'a str) -> Call<'a, DomainInfo> {
        ready(Err(RegistrarError::Unsupported("domain information"))).boxed()
    }
    fn set_nameservers<'a>(
        &'a self,
        name: &'a str,
        nameservers: &'a [Nameserver],
    ) -> Call<'a, Outcome> {
        todo(format!(
            "Set the nameservers of {name} to {}",
            hosts(nameservers)
        ))
    }
    fn set_lock<'a>(&'a self, name: &'a str, locked: bool) -> Call<'a, Outcome> {
        let what = if locked { "Lock" } else { "Unlock" };
        todo(format!("{what} {name} against transfers"))
    }
    fn epp_code<'a>(&'a self, name: &'a str) -> Call<'a, EppCode> {
        let text = format!("Send the auth code of {name} to its owner");
        ready(Ok(EppCode::Pending(Pending::Manual(text)))).boxed()
    }
    fn update_contacts<'a>(&'a self, name: &'a str, contact: &'a Contact) -> Call<'a, Outcome> {
        todo(format!(
            "Update the contacts of {name} to {} <{}>{}",
            contact.name,
            contact.email,
            fields(contact)
        ))
    }
    fn set_id_protection<'a>(&'a self, name: &'a str, on: bool) -> Call<'a, Outcome> {
        let what = if on { "on" } else { "off" };
        todo(format!("Turn ID protection {what} for {name}"))
    }
}
