//! The owner of domain lines: when an invoice with a registration or
//! transfer is paid, the domain is handed to its TLD's registrar through
//! a durable task (dedupe key `register:<id>` / `transfer:<id>`), written
//! in the transaction that settled the invoice. However often payment is
//! recorded or the worker retries, a paid domain is asked for once.

use rusqlite::Connection;

use crate::{
    domain::time::stamp,
    error::Result,
    service::{
        audit::{self, Actor, Event},
        billing::owner::{LineOwner, PaidInvoice},
    },
    store::{domains, registrars, registrars::tasks},
};

pub struct DomainOrders;

impl LineOwner for DomainOrders {
    fn name(&self) -> &'static str {
        "domain orders"
    }

    fn paid(&self, tx: &Connection, paid: &PaidInvoice<'_>) -> Result<()> {
        let now = stamp(paid.now);
        for line in paid.lines.iter().filter(|l| l.kind == "domain") {
            let Some(domain) = line
                .domain_id
                .map(|id| domains::find_by_id(tx, id))
                .transpose()?
                .flatten()
            else {
                continue;
            };
            if domain.status != "pending" {
                continue;
            }
            let registrar = registrars::of_tld(tx, &domain.tld)?;
            domains::set_registrar_and_code(
                tx,
                domain.id,
                registrar,
                domain.epp_code_sealed.as_deref(),
                &now,
            )?;
            let key = format!("{}:{}", domain.action, domain.id);
            if tasks::insert(tx, domain.id, &domain.action, &key, "{}", &now)? {
                audit::record(
                    tx,
                    paid.now,
                    Event {
                        actor: Actor::System,
                        action: "domain.requested",
                        subject: Some(("domain", domain.id)),
                        client_id: Some(domain.client_id),
                        ip: None,
                        details: serde_json::json!({
                            "action": domain.action, "registrar_id": registrar,
                        }),
                    },
                )?;
            }
        }
        Ok(())
    }
}
