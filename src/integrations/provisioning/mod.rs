//! Provisioning modules behind one trait. A module does things to the
//! account behind a service on some panel (or asks a person to); it never
//! touches the database. What an outcome means for the service (its status,
//! dates, audit rows) is decided by the worker (`service::services::module_tasks`)
//! and the staff/client actions (`service::services::service_actions`).
//!
//! - `manual`: every action succeeds at once and leaves a staff to-do.
//! - `webhook`: a signed JSON POST per action (`integrations::webhook_module`).
//! - `cpanel`: cPanel/WHM's JSON API v1 (`integrations::whm`).

mod context;
pub mod cpanel;
mod manual;
pub mod webhook;

pub use context::{ModuleContext, PRODUCT_SECRET, SERVER_SECRET, ServerAccess};

use futures_util::future::BoxFuture;

use crate::{domain::module_action::ModuleAction, integrations::PanelError};

/// The module names a product may use.
pub const MODULES: [&str; 3] = ["manual", "webhook", "cpanel"];

/// What a successful module call gave back.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The account's user name, when the module made or learned one.
    pub username: Option<String>,
    /// Something for a person to do (the manual module).
    pub todo: Option<String>,
    /// The module's own words, for the audit row.
    pub message: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ModuleError {
    #[error("the {0} module does not support this")]
    NotSupported(&'static str),
    /// The call did not succeed; the panel's or receiver's words.
    #[error("{0}")]
    Failed(String),
    /// Not set up well enough to try (no server, no URL, no secret).
    #[error("{0}")]
    Misconfigured(String),
}

impl From<PanelError> for ModuleError {
    fn from(e: PanelError) -> Self {
        match e {
            // Retrying cannot help until the operator allows the address.
            PanelError::TargetRefused(m) => ModuleError::Misconfigured(m),
            other => ModuleError::Failed(other.to_string()),
        }
    }
}

pub type ModuleResult<T> = Result<T, ModuleError>;
type Call<'a, T> = BoxFuture<'a, ModuleResult<T>>;

/// A custom action a module offers (e.g. "reboot").
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomAction {
    pub name: String,
    pub label: String,
}

/// What every provisioning module can be asked.
pub trait Module: Send + Sync {
    fn name(&self) -> &'static str;
    fn create<'a>(&'a self, ctx: &'a ModuleContext) -> Call<'a, Outcome>;
    fn suspend<'a>(&'a self, ctx: &'a ModuleContext) -> Call<'a, Outcome>;
    fn unsuspend<'a>(&'a self, ctx: &'a ModuleContext) -> Call<'a, Outcome>;
    fn terminate<'a>(&'a self, ctx: &'a ModuleContext) -> Call<'a, Outcome>;
    /// To the package in `ctx.payload["package"]` (else the product's).
    fn change_package<'a>(&'a self, ctx: &'a ModuleContext) -> Call<'a, Outcome>;
    fn change_password<'a>(
        &'a self,
        ctx: &'a ModuleContext,
        password: &'a str,
    ) -> Call<'a, Outcome>;
    /// A single sign-on URL into the service's panel.
    fn login_url<'a>(&'a self, ctx: &'a ModuleContext) -> Call<'a, String>;
    /// Whether there is a panel behind the service at all, so `login_url`
    /// and `change_password` can be offered (the manual module has none).
    fn has_panel(&self) -> bool {
        true
    }
    fn custom_actions(&self, ctx: &ModuleContext) -> Vec<CustomAction>;
    fn run_custom<'a>(&'a self, ctx: &'a ModuleContext, action: &'a str) -> Call<'a, Outcome>;
    /// Whether the module can reach `server` with its credentials.
    fn test_connection<'a>(&'a self, server: &'a ServerAccess, now: i64) -> Call<'a, String>;
}

/// The module called `name`.
pub fn module_for(name: &str) -> Option<Box<dyn Module>> {
    match name {
        "manual" => Some(Box::new(manual::Manual)),
        "webhook" => Some(Box::new(webhook::Webhook)),
        "cpanel" => Some(Box::new(cpanel::Cpanel)),
        _ => None,
    }
}

/// Whether services of module `name` have a panel to log in to and a
/// password to change.
pub fn has_panel(name: &str) -> bool {
    module_for(name).is_some_and(|m| m.has_panel())
}

/// Whether products of module `name` live on a server of their group.
pub fn needs_server(name: &str) -> bool {
    name == "cpanel"
}

/// Run a queued action. `change_password` is never queued (the password
/// would have to be stored); it is refused here.
pub async fn run_action(
    module: &dyn Module,
    action: ModuleAction,
    ctx: &ModuleContext,
) -> ModuleResult<Outcome> {
    match action {
        ModuleAction::Create => module.create(ctx).await,
        ModuleAction::Suspend => module.suspend(ctx).await,
        ModuleAction::Unsuspend => module.unsuspend(ctx).await,
        ModuleAction::Terminate => module.terminate(ctx).await,
        ModuleAction::ChangePackage => module.change_package(ctx).await,
        ModuleAction::ChangePassword => Err(ModuleError::Misconfigured(
            "a password change is not run as a queued task".into(),
        )),
    }
}

/// A cPanel-style user name from a domain: its first eight letters and
/// digits, starting with a letter.
pub fn username_for(domain: Option<&str>, service_id: i64) -> String {
    let base: String = domain
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .skip_while(|c| c.is_ascii_digit())
        .take(8)
        .collect();
    if base.is_empty() {
        format!("u{service_id}")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_come_from_the_domain() {
        assert_eq!(username_for(Some("example.com"), 3), "examplec");
        assert_eq!(username_for(Some("My-Site.io"), 3), "mysiteio");
        assert_eq!(username_for(Some("123abc.net"), 3), "abcnet");
        assert_eq!(username_for(None, 42), "u42");
    }

    #[test]
    fn only_modules_with_a_panel_offer_its_login() {
        assert!(has_panel("cpanel"));
        assert!(has_panel("webhook"));
        assert!(!has_panel("manual"));
        assert!(!has_panel("unknown"));
    }
}
