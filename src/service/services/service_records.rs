//! Staff work on services (reference 002 `/services`): the list, one
//! service with its module tasks, manual records, and lifecycle requests
//! (provision, suspend, unsuspend, terminate) queued as module tasks.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::domain::status::ServiceStatus;
use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{cycle::BillingCycle, module_action::ModuleAction, scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::{
        audit::{self, Event},
        catalog::{add, fail},
        services::module_errors,
        services::provisioning,
    },
    store::{
        catalog, clients,
        module_tasks::{self, ModuleTask},
        servers,
        services::{self, ManualService, ServiceRecord},
    },
};

pub fn list(
    db: &Db,
    staff: &StaffPrincipal,
    client_id: Option<i64>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ServiceRecord>, i64)> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| Ok(services::list(c, client_id, status, limit, offset)?))
}

pub fn get(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
) -> Result<(ServiceRecord, Vec<ModuleTask>)> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| {
        let s = services::find(c, ident)?.ok_or(AppError::NotFound)?;
        let tasks = module_tasks::of_service(c, s.id)?;
        Ok((s, module_errors::tasks_for(staff, tasks)))
    })
}

/// A service record staff write by hand (no module is called).
#[derive(Debug, Clone)]
pub struct ServiceInput {
    pub client_id: i64,
    pub product: String,
    pub billing_cycle: String,
    pub recurring_amount_minor: i64,
    pub currency: Option<String>,
    pub status: String,
    pub domain: Option<String>,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub username: Option<String>,
    pub server_id: Option<i64>,
}

/// The checked record: its product id, currency and status.
fn check(conn: &Connection, input: &ServiceInput) -> Result<(i64, String, ServiceStatus)> {
    let mut errors = FieldErrors::new();
    let client = clients::find(conn, input.client_id)?;
    if client.is_none() {
        add(&mut errors, "client_id", "no such client");
    }
    let product = catalog::find_product(conn, &input.product)?;
    if product.is_none() {
        add(&mut errors, "product", "no such product");
    }
    if input.billing_cycle.parse::<BillingCycle>().is_err() {
        add(&mut errors, "billing_cycle", "is not a billing cycle");
    }
    let status = input.status.parse::<ServiceStatus>();
    if status.is_err() {
        let words: Vec<&str> = ServiceStatus::ALL.iter().map(|s| s.as_str()).collect();
        add(
            &mut errors,
            "status",
            format!("must be one of {}", words.join(", ")),
        );
    }
    if input.recurring_amount_minor < 0 {
        add(
            &mut errors,
            "recurring_amount_minor",
            "must not be negative",
        );
    }
    for (field, date) in [
        ("registration_date", &input.registration_date),
        ("next_due_date", &input.next_due_date),
    ] {
        if date
            .as_deref()
            .is_some_and(|d| d.parse::<jiff::civil::Date>().is_err())
        {
            add(&mut errors, field, "must be a date (YYYY-MM-DD)");
        }
    }
    if let Some(s) = input.server_id
        && servers::find(conn, &s.to_string())?.is_none()
    {
        add(&mut errors, "server_id", "no such server");
    }
    fail(errors)?;
    let currency = match (&input.currency, client) {
        (Some(c), _) => c.clone(),
        (None, Some(c)) => c.currency_code,
        (None, None) => String::new(),
    };
    let status = status.map_err(|_| AppError::internal("checked above"))?;
    Ok((product.map(|p| p.id).unwrap_or_default(), currency, status))
}

fn manual<'a>(
    input: &'a ServiceInput,
    product_id: i64,
    currency: &'a str,
    status: ServiceStatus,
) -> ManualService<'a> {
    ManualService {
        client_id: input.client_id,
        product_id,
        status,
        billing_cycle: &input.billing_cycle,
        currency,
        recurring_amount: input.recurring_amount_minor,
        domain: input.domain.as_deref(),
        registration_date: input.registration_date.as_deref(),
        next_due_date: input.next_due_date.as_deref(),
        username: input.username.as_deref(),
        server_id: input.server_id,
    }
}

fn audit_service(
    tx: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    s: &ServiceRecord,
    details: serde_json::Value,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: staff.into(),
            action,
            subject: Some(("service", s.id)),
            client_id: Some(s.client_id),
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}

pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    input: ServiceInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServiceRecord> {
    staff.require(Scope::ServicesWrite)?;
    db.write(|tx| {
        let (product_id, currency, status) = check(tx, &input)?;
        let uuid = uuid::Uuid::now_v7().to_string();
        let id = services::insert_manual(
            tx,
            &uuid,
            &manual(&input, product_id, &currency, status),
            &stamp(now),
        )?;
        let s = services::find_by_id(tx, id)?.ok_or(AppError::NotFound)?;
        audit_service(
            tx,
            staff,
            "service.created",
            &s,
            serde_json::json!({ "manual": true }),
            meta,
            now,
        )?;
        Ok(s)
    })
}

pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    input: ServiceInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServiceRecord> {
    staff.require(Scope::ServicesWrite)?;
    db.write(|tx| {
        let existing = services::find(tx, ident)?.ok_or(AppError::NotFound)?;
        let (product_id, currency, status) = check(tx, &input)?;
        services::update_manual(
            tx,
            existing.id,
            &manual(&input, product_id, &currency, status),
            &stamp(now),
        )?;
        let s = services::find_by_id(tx, existing.id)?.ok_or(AppError::NotFound)?;
        audit_service(
            tx,
            staff,
            "service.updated",
            &s,
            serde_json::json!({ "from_status": existing.status, "status": s.status }),
            meta,
            now,
        )?;
        Ok(s)
    })
}

/// Queue a lifecycle action for a service (202 with the task). Provision
/// is the `create` action under the key `create:<id>`: asking again answers
/// the same task, and a failed one is queued again.
pub fn request_action(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    action: ModuleAction,
    payload: serde_json::Value,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ModuleTask> {
    staff.require(Scope::ServicesWrite)?;
    db.write(|tx| {
        let s = services::find(tx, ident)?.ok_or(AppError::NotFound)?;
        use ServiceStatus::{Active, Pending, Suspended};
        let allowed: &[ServiceStatus] = match action {
            ModuleAction::Create => &[Pending, Active],
            ModuleAction::Suspend => &[Active],
            ModuleAction::Unsuspend => &[Suspended],
            ModuleAction::Terminate => &[Pending, Active, Suspended],
            ModuleAction::ChangePackage => &[Active, Suspended],
            ModuleAction::ChangePassword => &[],
        };
        if !allowed.contains(&s.status) {
            return Err(AppError::Conflict(format!(
                "a {} service cannot be asked to {}",
                s.status, action
            )));
        }
        let task_id = if action == ModuleAction::Create {
            let key = format!("create:{}", s.id);
            provisioning::request(tx, s.id, action, &payload, Some(&key), now)?;
            let task = module_tasks::find_by_key(tx, &key)?.ok_or(AppError::NotFound)?;
            module_tasks::retry(tx, task.id, &stamp(now))?;
            task.id
        } else {
            provisioning::request(tx, s.id, action, &payload, None, now)?;
            tx.last_insert_rowid()
        };
        audit_service(
            tx,
            staff,
            "service.module_requested",
            &s,
            serde_json::json!({ "action": action.as_str(), "task": task_id }),
            meta,
            now,
        )?;
        module_tasks::find(tx, task_id)?.ok_or(AppError::NotFound)
    })
}

pub fn tasks(
    db: &Db,
    staff: &StaffPrincipal,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ModuleTask>> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| {
        Ok(module_errors::tasks_for(
            staff,
            module_tasks::list(c, status, limit)?,
        ))
    })
}

/// Queue a failed task again now with a fresh count of attempts.
pub fn retry_task(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ModuleTask> {
    staff.require(Scope::ServicesWrite)?;
    db.write(|tx| {
        let task = module_tasks::find(tx, id)?.ok_or(AppError::NotFound)?;
        if !module_tasks::retry(tx, id, &stamp(now))? {
            return Err(AppError::Conflict(format!(
                "the task is {}, not failed",
                task.status
            )));
        }
        let s = services::find_by_id(tx, task.service_id)?.ok_or(AppError::NotFound)?;
        audit_service(
            tx,
            staff,
            "module.task_retried",
            &s,
            serde_json::json!({ "task": id, "action": task.action }),
            meta,
            now,
        )?;
        module_tasks::find(tx, id)?.ok_or(AppError::NotFound)
    })
}
