//! Running queued module tasks: claim with a lease, place a new service on
//! a server, call the module outside any transaction, then record the
//! outcome. A failure is retried with backoff (1 min, 5 min, 30 min, 2 h,
//! 6 h) and after the sixth attempt the task is `failed`, with an audit row
//! and an email to the company address. The paid invoice is never touched.

use crate::domain::status::ServiceStatus::{Active, Pending, Suspended, Terminated};
use crate::integrations::provisioning::{self, ModuleContext, ModuleError, Outcome};
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use crate::{
    auth::keys::AuthKeys,
    db::Db,
    domain::{module_action::ModuleAction, time::stamp},
    error::{AppError, Result},
    integrations::outbound::TargetPolicy,
    service::{
        audit::{self, Actor, Event},
        email::{self, Branding},
    },
    store::{
        catalog, clients,
        module_tasks::{self, ModuleTask},
        servers, services,
    },
};

/// Waits after the 1st, 2nd, … failed attempt; the attempt after the
/// last wait is the last.
pub const BACKOFF_MINS: [i64; 5] = [1, 5, 30, 120, 360];
pub const MAX_ATTEMPTS: i64 = BACKOFF_MINS.len() as i64 + 1;
const LEASE: SignedDuration = SignedDuration::from_mins(10);

/// Why a task could not run: `retry` says whether trying later may help.
#[derive(Debug, Clone)]
pub struct Failure {
    pub message: String,
    pub retry: bool,
}

impl From<ModuleError> for Failure {
    fn from(e: ModuleError) -> Self {
        let retry = matches!(e, ModuleError::Failed(_));
        Failure {
            message: e.to_string(),
            retry,
        }
    }
}

/// Claim the tasks due at `now`.
pub fn claim(db: &Db, now: Timestamp, limit: i64) -> Result<Vec<ModuleTask>> {
    let lease_until = stamp(now.checked_add(LEASE).unwrap_or(now));
    db.write(|tx| {
        Ok(module_tasks::claim_due(
            tx,
            &stamp(now),
            &lease_until,
            limit,
        )?)
    })
}

/// Get a claimed task ready to call: a `create` whose product lives on
/// servers is placed on the least-full active server of the product's group
/// first (in its own transaction, so two creates never take the last slot).
pub fn prepare(
    db: &Db,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    task: &ModuleTask,
    now: Timestamp,
) -> Result<std::result::Result<(ModuleContext, ModuleAction), Failure>> {
    let payload = serde_json::from_str(&task.payload).unwrap_or_default();
    db.write(|tx| {
        let action: ModuleAction = match task.action.parse() {
            Ok(a) => a,
            Err(e) => {
                return Ok(Err(Failure {
                    message: e,
                    retry: false,
                }));
            }
        };
        let service = services::find_by_id(tx, task.service_id)?.ok_or(AppError::NotFound)?;
        let product = catalog::find_product(tx, &service.product_id.to_string())?
            .ok_or(AppError::NotFound)?;
        if action == ModuleAction::Create
            && provisioning::needs_server(&product.module)
            && service.server_id.is_none()
            && let Err(f) = place(tx, service.id, product.id, now)?
        {
            return Ok(Err(f));
        }
        let ctx = crate::service::services::module_context::load_context(
            tx, keys, targets, service.id, payload, now,
        )?;
        Ok(Ok((ctx, action)))
    })
}

fn place(
    conn: &Connection,
    service_id: i64,
    product_id: i64,
    now: Timestamp,
) -> Result<std::result::Result<i64, Failure>> {
    let (group, _) = servers::product_provisioning(conn, product_id)?;
    let Some(group) = group else {
        return Ok(Err(Failure {
            message: "the product has no server group".into(),
            retry: false,
        }));
    };
    match servers::least_full(conn, group)? {
        Some(server) => {
            services::place(conn, service_id, server.id, &stamp(now))?;
            Ok(Ok(server.id))
        }
        None => Ok(Err(Failure {
            message: "no server with room".into(),
            retry: false,
        })),
    }
}

/// Call the module (no transaction is open here).
pub async fn call(
    ctx: &ModuleContext,
    action: ModuleAction,
) -> std::result::Result<Outcome, Failure> {
    let module = provisioning::module_for(&ctx.product.module).ok_or_else(|| Failure {
        message: format!("unknown module {}", ctx.product.module),
        retry: false,
    })?;
    Ok(provisioning::run_action(module.as_ref(), action, ctx).await?)
}

/// Record what the call came to.
pub fn record(
    db: &Db,
    brand: &Branding,
    staff_email: &str,
    task: &ModuleTask,
    outcome: std::result::Result<Outcome, Failure>,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        let service = services::find_by_id(tx, task.service_id)?.ok_or(AppError::NotFound)?;
        let module = catalog::find_product(tx, &service.product_id.to_string())?
            .map(|p| p.module)
            .unwrap_or_default();
        let event = |action: &'static str, details: serde_json::Value| Event {
            actor: Actor::System,
            action,
            subject: Some(("service", service.id)),
            client_id: Some(service.client_id),
            ip: None,
            details,
        };
        match outcome {
            Ok(out) => {
                let ts = stamp(now);
                module_tasks::mark_done(tx, task.id, &ts)?;
                match task.action.as_str() {
                    "create" => {
                        services::set_provisioned(tx, service.id, out.username.as_deref(), &ts)?;
                        crate::service::services::activation::go_live(tx, service.id, now, brand, &module)?;
                    }
                    "suspend" => {
                        services::set_status(tx, service.id, &[Active], Suspended, &ts)?;
                    }
                    "unsuspend" => {
                        services::set_status(tx, service.id, &[Suspended], Active, &ts)?;
                    }
                    "terminate" => {
                        services::set_status(
                            tx,
                            service.id,
                            &[Pending, Active, Suspended],
                            Terminated,
                            &ts,
                        )?;
                    }
                    _ => {}
                }
                if let Some(todo) = &out.todo {
                    audit::record(
                        tx,
                        now,
                        event(
                            "module.manual_task",
                            serde_json::json!({ "task": task.id, "action": task.action, "todo": todo }),
                        ),
                    )?;
                }
                audit::record(
                    tx,
                    now,
                    event(
                        "module.task_done",
                        serde_json::json!({
                            "task": task.id, "action": task.action, "module": module,
                            "message": out.message,
                        }),
                    ),
                )?;
            }
            Err(failure) => {
                let attempt = task.attempts + 1;
                let wait = BACKOFF_MINS
                    .get((attempt - 1) as usize)
                    .filter(|_| failure.retry && attempt < MAX_ATTEMPTS);
                let retry_at =
                    wait.map(|m| stamp(now.checked_add(SignedDuration::from_mins(*m)).unwrap_or(now)));
                tracing::warn!(task = task.id, action = %task.action, error = %failure.message,
                    retry = retry_at.is_some(), "module task attempt failed");
                module_tasks::mark_failed_attempt(
                    tx,
                    task.id,
                    &failure.message,
                    retry_at.as_deref(),
                    &stamp(now),
                )?;
                if retry_at.is_none() {
                    audit::record(
                        tx,
                        now,
                        event(
                            "module.task_failed",
                            serde_json::json!({
                                "task": task.id, "action": task.action, "module": module,
                                "attempts": attempt, "error": failure.message,
                            }),
                        ),
                    )?;
                    let client = clients::find(tx, service.client_id)?;
                    let product = catalog::find_product(tx, &service.product_id.to_string())?;
                    email::queue(
                        tx,
                        now,
                        staff_email,
                        &email::ModuleTaskFailed {
                            brand: brand.clone(),
                            task_id: task.id,
                            action: task.action.clone(),
                            service_id: service.id,
                            product: product.map(|p| p.name).unwrap_or_default(),
                            client: client.map(|c| c.display_name()).unwrap_or_default(),
                            error: failure.message.clone(),
                            attempts: attempt,
                        },
                    )?;
                }
            }
        }
        Ok(())
    })
}
