//! The owner of domain lines: when an invoice with a registration or
//! transfer is paid, the domain is handed to its TLD's registrar through
//! a durable task (dedupe key `register:<id>` / `transfer:<id>`), written
//! in the transaction that settled the invoice. A line with a term (a
//! renewal, or a renewal ahead) becomes a `renew` task keyed by the
//! domain and the expiry it renews from (`renew:<id>:<from>`), its term
//! the task's payload. However often payment is recorded or the worker
//! retries, a paid domain or term is asked for once.

use rusqlite::Connection;

use super::renewals::{self, Term};
use crate::{
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing::owner::{LineOwner, PaidInvoice},
    },
    store::{
        domains::{self, Domain},
        registrars,
        registrars::tasks,
    },
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
            if let Some(term) = renewals::term_of(line) {
                if matches!(domain.status.as_str(), "active" | "expired") {
                    renew(tx, &domain, &term, paid)?;
                }
                continue;
            }
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

/// Queue the registry renewal of a paid term.
fn renew(tx: &Connection, domain: &Domain, term: &Term, paid: &PaidInvoice<'_>) -> Result<()> {
    let key = format!("renew:{}:{}", domain.id, term.from);
    let payload = serde_json::to_string(term).map_err(|e| AppError::internal(e.to_string()))?;
    if tasks::insert(tx, domain.id, "renew", &key, &payload, &stamp(paid.now))? {
        audit::record(
            tx,
            paid.now,
            Event {
                actor: Actor::System,
                action: "domain.renewal_requested",
                subject: Some(("domain", domain.id)),
                client_id: Some(domain.client_id),
                ip: None,
                details: serde_json::json!({
                    "from": term.from, "years": term.years, "invoice": paid.invoice.id,
                }),
            },
        )?;
    }
    Ok(())
}
