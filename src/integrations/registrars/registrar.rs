//! The one trait every registrar speaks. Written like the siblings
//! (`provisioning::Module`, `gateways::Gateway`): boxed futures over
//! borrowed inputs, so a `Box<dyn Registrar>` can be chosen per TLD at
//! run time.

use futures_util::future::{BoxFuture, FutureExt, ready};

use super::{
    Check, Contact, DnsRecord, DomainInfo, EppCode, Nameserver, Outcome, Period, RegistrarError,
    Registration, Transfer,
};

pub type Call<'a, T> = BoxFuture<'a, Result<T, RegistrarError>>;

/// What every registrar can be asked. A call that is not done at once
/// answers `Outcome::Pending` with the reason; an operation the registrar
/// lacks answers `RegistrarError::Unsupported`.
pub trait Registrar: Send + Sync {
    fn name(&self) -> &'static str;

    /// Whether each of `names` can be registered.
    fn check<'a>(&'a self, names: &'a [&'a str]) -> Call<'a, Vec<Check>>;

    /// Register a name: contacts, hosts and the domain itself.
    fn register<'a>(&'a self, req: &'a Registration) -> Call<'a, Outcome>;

    /// Request a transfer in with the domain's auth code.
    fn transfer<'a>(&'a self, req: &'a Transfer) -> Call<'a, Outcome>;

    /// Add `period` to the domain's current expiry.
    fn renew<'a>(&'a self, name: &'a str, period: Period) -> Call<'a, Outcome>;

    fn info<'a>(&'a self, name: &'a str) -> Call<'a, DomainInfo>;

    /// Make the domain's nameservers exactly `nameservers`.
    fn set_nameservers<'a>(
        &'a self,
        name: &'a str,
        nameservers: &'a [Nameserver],
    ) -> Call<'a, Outcome>;

    /// Turn the transfer lock on or off.
    fn set_lock<'a>(&'a self, name: &'a str, locked: bool) -> Call<'a, Outcome>;

    /// The auth code a customer needs to move the domain away.
    fn epp_code<'a>(&'a self, name: &'a str) -> Call<'a, EppCode>;

    /// Replace the registrant (and admin and tech) contact details.
    fn update_contacts<'a>(&'a self, name: &'a str, contact: &'a Contact) -> Call<'a, Outcome>;

    /// Turn ID protection (WHOIS privacy) on or off.
    fn set_id_protection<'a>(&'a self, name: &'a str, on: bool) -> Call<'a, Outcome>;

    /// Delete the name at the registry before its expiry. Done once the
    /// registry took the deletion (an EPP `pendingDelete` counts), and
    /// done again for a name already deleted, so a retried call whose
    /// first answer was lost is not an error.
    fn delete<'a>(&'a self, _name: &'a str) -> Call<'a, Outcome> {
        ready(Err(RegistrarError::Unsupported("deleting a domain"))).boxed()
    }

    /// The records of the domain's zone, where the registrar hosts DNS.
    fn dns_records<'a>(&'a self, _name: &'a str) -> Call<'a, Vec<DnsRecord>> {
        ready(Err(RegistrarError::Unsupported("DNS hosting"))).boxed()
    }

    fn add_dns_record<'a>(&'a self, _name: &'a str, _record: &'a DnsRecord) -> Call<'a, Outcome> {
        ready(Err(RegistrarError::Unsupported("DNS hosting"))).boxed()
    }

    fn delete_dns_record<'a>(
        &'a self,
        _name: &'a str,
        _record: &'a DnsRecord,
    ) -> Call<'a, Outcome> {
        ready(Err(RegistrarError::Unsupported("DNS hosting"))).boxed()
    }
}
