//! Staff opening a ticket for a client (a call written down, a problem
//! staff found first): in any department, even a staff-only one, with the
//! first message from staff, so it starts `answered` and the customer is
//! told by email and in the portal like any staff reply.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    config::Config,
    db::Db,
    domain::scopes::Scope,
    error::{AppError, Result},
    service::audit::{self, Event},
    store::{
        clients, services,
        support::{departments, tickets},
    },
};

use super::{
    attachments::{self, Upload},
    notices,
    posting::{self, Delivery, Opening},
    thread::{self, Thread},
    tickets::author_of,
};

/// A ticket staff open for a client.
#[derive(Debug, Clone)]
pub struct StaffOpening {
    pub client_id: i64,
    pub department_id: i64,
    pub subject: String,
    pub message: String,
    pub priority: Option<String>,
    pub service_id: Option<i64>,
    pub attachments: Vec<Upload>,
}

pub fn open(
    db: &Db,
    config: &Config,
    staff: &StaffPrincipal,
    input: StaffOpening,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Thread> {
    staff.require(Scope::SupportWrite)?;
    let subject = posting::clean_subject(&input.subject)?;
    let body = posting::clean_body(&input.message, "message")?;
    let priority = posting::priority(input.priority.as_deref())?;
    let files = attachments::check(&config.support, input.attachments)?;
    db.write(|tx| {
        clients::find(tx, input.client_id)?
            .ok_or_else(|| AppError::invalid("client_id", "no such client"))?;
        departments::find(tx, input.department_id)?
            .ok_or_else(|| AppError::invalid("department_id", "no such department"))?;
        if let Some(s) = input.service_id {
            services::find_by_id(tx, s)?
                .filter(|s| s.client_id == input.client_id)
                .ok_or_else(|| AppError::invalid("service_id", "not a service of this client"))?;
        }
        let author = author_of(tx, &Principal::Staff(staff.clone()))?;
        let (ticket, message) = posting::open(
            tx,
            config,
            &Opening {
                client_id: Some(input.client_id),
                guest: None,
                department_id: input.department_id,
                subject: &subject,
                priority,
                service_id: input.service_id,
                domain_id: None,
            },
            &author,
            &body,
            &files,
            &Delivery {
                source: "api",
                email_message_id: None,
            },
            now,
        )?;
        notices::staff_replied(tx, config, &ticket, message, &author.name, &body, now)?;
        audit::record(
            tx,
            now,
            Event {
                actor: staff.into(),
                action: "ticket.opened_by_staff",
                subject: Some(("ticket", ticket.id)),
                client_id: ticket.client_id,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": ticket.number }),
            },
        )?;
        let ticket = tickets::find(tx, ticket.id)?.ok_or(AppError::NotFound)?;
        thread::load(tx, ticket, true)
    })
}
