//! The `Registrar` operations as LogicBoxes calls. Most act on an order,
//! so they start from `details-by-name`, which gives its id, expiry and
//! state in one call.

use futures_util::future::FutureExt;

use super::{
    LogicBoxes,
    client::Params,
    contacts, dns,
    orders::{self, Order},
};
use crate::{
    config::Secret,
    integrations::registrars::{
        Call, Check, Contact, DnsRecord, DomainInfo, EppCode, Nameserver, Outcome, Pending, Period,
        Registrar, RegistrarError, Registration, Transfer,
    },
};

/// Orders are billed by till, never by an invoice at LogicBoxes.
const NO_INVOICE: (&str, &str) = ("invoice-option", "NoInvoice");

fn lower(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

fn ns_params(nameservers: &[Nameserver]) -> Params {
    nameservers.iter().map(|n| ("ns", lower(&n.host))).collect()
}

impl LogicBoxes {
    async fn order(&self, name: &str) -> Result<Order, RegistrarError> {
        let v = self
            .api()
            .get(
                "domains/details-by-name.json",
                vec![("domain-name", lower(name)), ("options", "All".into())],
            )
            .await?;
        orders::order(&lower(name), &v)
    }

    /// Done with the expiry the order has now, or pending.
    async fn finished(&self, name: &str, v: &serde_json::Value) -> Result<Outcome, RegistrarError> {
        match orders::action(v)? {
            Some(p) => Ok(Outcome::Pending(p)),
            None => Ok(Outcome::Done {
                expiry: self.order(name).await?.expiry,
            }),
        }
    }

    /// The customer and a fresh contact for a new order.
    async fn parties(&self, c: &Contact) -> Result<(String, String), RegistrarError> {
        let api = self.api();
        let customer = contacts::customer(&api, c).await?;
        let contact = contacts::add_contact(&api, &customer, c).await?;
        Ok((customer, contact))
    }

    /// Child nameservers (inside the domain) with their addresses.
    async fn add_child_hosts(
        &self,
        order: &str,
        name: &str,
        ns: &[Nameserver],
    ) -> Result<(), RegistrarError> {
        for host in ns
            .iter()
            .filter(|n| n.is_inside(name) && !n.addrs.is_empty())
        {
            let mut p: Params = vec![("order-id", order.to_string()), ("cns", lower(&host.host))];
            p.extend(host.addrs.iter().map(|a| ("ip", a.to_string())));
            self.api().post("domains/add-cns.json", p).await?;
        }
        Ok(())
    }
}

impl Registrar for LogicBoxes {
    fn name(&self) -> &'static str {
        "logicboxes"
    }
    fn check<'a>(&'a self, names: &'a [&'a str]) -> Call<'a, Vec<Check>> {
        async move {
            let mut out = Vec::new();
            // One call per name: the API crosses every label with every
            // TLD it is given, which is not what was asked.
            for name in names.iter().map(|n| lower(n)) {
                let (label, tld) = name
                    .split_once('.')
                    .ok_or_else(|| RegistrarError::Misconfigured(format!("{name:?} has no TLD")))?;
                let v = self
                    .api()
                    .get(
                        "domains/available.json",
                        vec![
                            ("domain-name", label.to_string()),
                            ("tlds", tld.to_string()),
                        ],
                    )
                    .await?;
                let status = v[&name]["status"].as_str().unwrap_or("unknown");
                out.push(Check {
                    available: status == "available",
                    reason: (status != "available").then(|| status.to_string()),
                    name,
                });
            }
            Ok(out)
        }
        .boxed()
    }
    fn register<'a>(&'a self, req: &'a Registration) -> Call<'a, Outcome> {
        async move {
            let name = lower(&req.name);
            if req.nameservers.is_empty() {
                return Err(RegistrarError::Misconfigured(
                    "LogicBoxes registers a domain only with nameservers".into(),
                ));
            }
            let (customer, contact) = self.parties(&req.contact).await?;
            let mut p: Params = vec![
                ("domain-name", name.clone()),
                ("years", req.period.get().to_string()),
                ("customer-id", customer),
                ("protect-privacy", req.id_protection.to_string()),
                ("auto-renew", "false".into()),
                (NO_INVOICE.0, NO_INVOICE.1.into()),
            ];
            p.extend(ns_params(&req.nameservers));
            p.extend(contacts::roles(&contact));
            let v = match self.api().post("domains/register.json", p).await {
                Ok(v) => v,
                // A retry of a registration that went through: the name is
                // among our orders, so it is done (details-by-name finds
                // only the reseller's own orders).
                Err(e @ RegistrarError::Refused { .. }) => {
                    return match self.order(&name).await {
                        Ok(order) => Ok(Outcome::Done {
                            expiry: order.expiry,
                        }),
                        Err(_) => Err(e),
                    };
                }
                Err(e) => return Err(e),
            };
            let outcome = self.finished(&name, &v).await?;
            if matches!(outcome, Outcome::Done { .. }) {
                let order = self.order(&name).await?;
                self.add_child_hosts(&order.id, &name, &req.nameservers)
                    .await?;
            }
            Ok(outcome)
        }
        .boxed()
    }
    fn transfer<'a>(&'a self, req: &'a Transfer) -> Call<'a, Outcome> {
        async move {
            let (customer, contact) = self.parties(&req.contact).await?;
            let mut p: Params = vec![
                ("domain-name", lower(&req.name)),
                ("auth-code", req.auth_code.expose().to_string()),
                ("customer-id", customer),
                ("auto-renew", "false".into()),
                (NO_INVOICE.0, NO_INVOICE.1.into()),
            ];
            p.extend(ns_params(&req.nameservers));
            p.extend(contacts::roles(&contact));
            let v = self.api().post("domains/transfer.json", p).await?;
            // Accepted means requested: the losing side approves later.
            orders::action(&v)?;
            Ok(Outcome::Pending(Pending::TransferApproval))
        }
        .boxed()
    }
    fn renew<'a>(&'a self, name: &'a str, period: Period) -> Call<'a, Outcome> {
        async move {
            let order = self.order(name).await?;
            let current = order.expiry.ok_or_else(|| {
                RegistrarError::Transient("LogicBoxes gave the order no expiry".into())
            })?;
            // exp-date guards a repeat: it must be the expiry now.
            let p: Params = vec![
                ("order-id", order.id.clone()),
                ("years", period.get().to_string()),
                ("exp-date", current.as_second().to_string()),
                ("auto-renew", "false".into()),
                (NO_INVOICE.0, NO_INVOICE.1.into()),
            ];
            let v = self.api().post("domains/renew.json", p).await?;
            self.finished(name, &v).await
        }
        .boxed()
    }
    fn delete<'a>(&'a self, name: &'a str) -> Call<'a, Outcome> {
        async move {
            let order = self.order(name).await?;
            // An order already deleted was deleted by an attempt whose
            // answer was lost.
            if order.info.statuses.iter().any(|s| s == "Deleted") {
                return Ok(Outcome::Done { expiry: None });
            }
            let v = self
                .api()
                .post("domains/delete.json", vec![("order-id", order.id)])
                .await?;
            orders::action(&v)?;
            Ok(Outcome::Done { expiry: None })
        }
        .boxed()
    }
    fn info<'a>(&'a self, name: &'a str) -> Call<'a, DomainInfo> {
        async move { Ok(self.order(name).await?.info) }.boxed()
    }
    fn set_nameservers<'a>(
        &'a self,
        name: &'a str,
        nameservers: &'a [Nameserver],
    ) -> Call<'a, Outcome> {
        async move {
            let order = self.order(name).await?;
            self.add_child_hosts(&order.id, &lower(name), nameservers)
                .await?;
            let mut p: Params = vec![("order-id", order.id)];
            p.extend(ns_params(nameservers));
            orders::changed(&self.api().post("domains/modify-ns.json", p).await?)
        }
        .boxed()
    }
    fn set_lock<'a>(&'a self, name: &'a str, locked: bool) -> Call<'a, Outcome> {
        async move {
            let order = self.order(name).await?;
            let call = if locked {
                "domains/enable-theft-protection.json"
            } else {
                "domains/disable-theft-protection.json"
            };
            orders::changed(&self.api().post(call, vec![("order-id", order.id)]).await?)
        }
        .boxed()
    }
    fn epp_code<'a>(&'a self, name: &'a str) -> Call<'a, EppCode> {
        async move {
            let order = self.order(name).await?;
            let p: Params = vec![("order-id", order.id), ("options", "OrderDetails".into())];
            let v = self.api().get("domains/details.json", p).await?;
            v["domsecret"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(|s| EppCode::Code(Secret::new(s)))
                .ok_or_else(|| RegistrarError::refused("domsecret", "the order shows no auth code"))
        }
        .boxed()
    }
    fn update_contacts<'a>(&'a self, name: &'a str, contact: &'a Contact) -> Call<'a, Outcome> {
        async move {
            let order = self.order(name).await?;
            let api = self.api();
            let customer = match order.customer {
                Some(c) => c,
                None => contacts::customer(&api, contact).await?,
            };
            let id = contacts::add_contact(&api, &customer, contact).await?;
            let mut p: Params = vec![("order-id", order.id)];
            p.extend(contacts::roles(&id));
            orders::changed(&api.post("domains/modify-contact.json", p).await?)
        }
        .boxed()
    }
    fn set_id_protection<'a>(&'a self, name: &'a str, on: bool) -> Call<'a, Outcome> {
        async move {
            let order = self.order(name).await?;
            let p: Params = vec![
                ("order-id", order.id),
                ("protect-privacy", on.to_string()),
                ("reason", "Requested by the customer".into()),
            ];
            orders::changed(
                &self
                    .api()
                    .post("domains/modify-privacy-protection.json", p)
                    .await?,
            )
        }
        .boxed()
    }
    fn dns_records<'a>(&'a self, name: &'a str) -> Call<'a, Vec<DnsRecord>> {
        async move { dns::records(&self.api(), &lower(name)).await }.boxed()
    }
    fn add_dns_record<'a>(&'a self, name: &'a str, record: &'a DnsRecord) -> Call<'a, Outcome> {
        async move { orders::changed(&dns::add(&self.api(), &lower(name), record).await?) }.boxed()
    }
    fn delete_dns_record<'a>(&'a self, name: &'a str, record: &'a DnsRecord) -> Call<'a, Outcome> {
        async move { orders::changed(&dns::delete(&self.api(), &lower(name), record).await?) }
            .boxed()
    }
}
