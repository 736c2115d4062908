//! What a customer (or staff) does to a live service directly, with an
//! answer needed now rather than a queued task: a single sign-on URL into
//! the panel, a new password, the module's custom actions. Each reads the
//! service, calls the module outside any transaction, and records the
//! outcome in a second transaction.

use crate::integrations::provisioning::{self, CustomAction, ModuleContext, ModuleError};
use std::sync::Arc;

use jiff::Timestamp;

use crate::domain::status::ServiceStatus;
use crate::{
    auth::{keys::AuthKeys, principal::Principal},
    db::Db,
    domain::{password_policy, privileges::Privilege, scopes::Scope},
    error::{AppError, FieldErrors, Result},
    integrations::outbound::TargetPolicy,
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        catalog::{add, fail},
        services::module_errors,
    },
    store::services,
};

/// The error the caller sees. What the panel said (or why till would not
/// call it) is for staff who run the servers; a customer gets a message
/// that tells them nothing about the machinery behind their service.
fn module_error(principal: &Principal, e: ModuleError) -> AppError {
    if let ModuleError::NotSupported(_) = e {
        return AppError::BadRequest(e.to_string());
    }
    tracing::warn!(error = %e, "a module call for a live service failed");
    let shown = if module_errors::sees_detail(principal) {
        e.to_string()
    } else {
        module_errors::GENERIC.to_string()
    };
    match e {
        ModuleError::Misconfigured(_) => AppError::Unavailable(shown),
        _ => AppError::BadGateway(shown),
    }
}

/// Read the service (checking the caller may act on it) and its module
/// context; only a live (active) service can be acted on.
async fn context(
    db: &Db,
    keys: &Arc<AuthKeys>,
    targets: &TargetPolicy,
    principal: &Principal,
    service: &str,
    now: Timestamp,
) -> Result<ModuleContext> {
    let (principal, service, keys) = (principal.clone(), service.to_string(), keys.clone());
    let targets = targets.clone();
    db.run(move |db| {
        db.read(|c| {
            let s = services::find(c, &service)?.ok_or(AppError::NotFound)?;
            match &principal {
                Principal::Staff(staff) => staff.require(Scope::ServicesWrite)?,
                Principal::User(_) => {
                    let access = client_access(c, &principal, &s.client_id.to_string())?;
                    access.require(Privilege::ServicesFull)?;
                }
            }
            if s.status != ServiceStatus::Active {
                return Err(AppError::Conflict(format!("the service is {}", s.status)));
            }
            crate::service::services::module_context::load_context(
                c,
                &keys,
                &targets,
                s.id,
                serde_json::json!({}),
                now,
            )
        })
    })
    .await
}

fn record(
    db: &Db,
    principal: &Principal,
    ctx: &ModuleContext,
    action: &'static str,
    now: Timestamp,
) -> Result<()> {
    db.write(|tx| {
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(principal),
                action,
                subject: Some(("service", ctx.service.id)),
                client_id: Some(ctx.service.client_id),
                ip: None,
                details: serde_json::json!({ "module": ctx.product.module }),
            },
        )?;
        Ok(())
    })
}

/// Whether a service in `status`, run by `module`, can be offered the
/// panel login and a password change now (the same rule `context` applies:
/// only a live service, and only a module with a panel).
pub fn offers_panel(status: ServiceStatus, module: &str) -> bool {
    status == ServiceStatus::Active && provisioning::has_panel(module)
}

/// A one-time single sign-on URL into the service's control panel (cPanel:
/// `create_user_session`). Customers need the services privilege.
pub async fn login_url(
    db: &Db,
    keys: &Arc<AuthKeys>,
    targets: &TargetPolicy,
    principal: &Principal,
    service: &str,
    now: Timestamp,
) -> Result<String> {
    let ctx = context(db, keys, targets, principal, service, now).await?;
    let module = provisioning::module_for(&ctx.product.module)
        .ok_or_else(|| AppError::Unavailable("unknown module".into()))?;
    let url = module
        .login_url(&ctx)
        .await
        .map_err(|e| module_error(principal, e))?;
    record(db, principal, &ctx, "service.login_url", now)?;
    Ok(url)
}

/// Set the service's panel password (never stored by till).
pub async fn change_password(
    db: &Db,
    keys: &Arc<AuthKeys>,
    targets: &TargetPolicy,
    principal: &Principal,
    service: &str,
    password: &str,
    now: Timestamp,
) -> Result<()> {
    let problems = password_policy::problems(password, "");
    if !problems.is_empty() {
        let mut errors = FieldErrors::new();
        for p in problems {
            add(&mut errors, "password", p);
        }
        fail(errors)?;
    }
    let ctx = context(db, keys, targets, principal, service, now).await?;
    let module = provisioning::module_for(&ctx.product.module)
        .ok_or_else(|| AppError::Unavailable("unknown module".into()))?;
    module
        .change_password(&ctx, password)
        .await
        .map_err(|e| module_error(principal, e))?;
    record(db, principal, &ctx, "service.password_changed", now)
}

/// The module's custom actions for a service.
pub async fn custom_actions(
    db: &Db,
    keys: &Arc<AuthKeys>,
    targets: &TargetPolicy,
    principal: &Principal,
    service: &str,
    now: Timestamp,
) -> Result<Vec<CustomAction>> {
    let ctx = context(db, keys, targets, principal, service, now).await?;
    Ok(provisioning::module_for(&ctx.product.module)
        .map(|m| m.custom_actions(&ctx))
        .unwrap_or_default())
}

/// Run one of the module's custom actions now.
pub async fn run_custom(
    db: &Db,
    keys: &Arc<AuthKeys>,
    targets: &TargetPolicy,
    principal: &Principal,
    service: &str,
    action: &str,
    now: Timestamp,
) -> Result<Option<String>> {
    let ctx = context(db, keys, targets, principal, service, now).await?;
    let module = provisioning::module_for(&ctx.product.module)
        .ok_or_else(|| AppError::Unavailable("unknown module".into()))?;
    let out = module
        .run_custom(&ctx, action)
        .await
        .map_err(|e| module_error(principal, e))?;
    record(db, principal, &ctx, "service.custom_action", now)?;
    Ok(out.message)
}
