//! The manual module: a person does the work. Every action succeeds at
//! once and leaves a to-do for staff.

use futures_util::future::{BoxFuture, FutureExt, ready};

use super::{
    CustomAction, Module, ModuleContext, ModuleError, ModuleResult, Outcome, ServerAccess,
};

pub struct Manual;

fn todo<'a>(ctx: &ModuleContext, what: &str) -> BoxFuture<'a, ModuleResult<Outcome>> {
    let text = format!(
        "{what} service #{} ({}{}) for {}",
        ctx.service.id,
        ctx.product.name,
        ctx.service
            .domain
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default(),
        ctx.client.display_name()
    );
    ready(Ok(Outcome {
        todo: Some(text),
        ..Outcome::default()
    }))
    .boxed()
}

impl Module for Manual {
    fn name(&self) -> &'static str {
        "manual"
    }
    fn create<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        todo(ctx, "Set up")
    }
    fn suspend<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        todo(ctx, "Suspend")
    }
    fn unsuspend<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        todo(ctx, "Unsuspend")
    }
    fn terminate<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        todo(ctx, "Terminate")
    }
    fn change_package<'a>(
        &'a self,
        ctx: &'a ModuleContext,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        todo(ctx, "Change the package of")
    }
    fn change_password<'a>(
        &'a self,
        _ctx: &'a ModuleContext,
        _password: &'a str,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        ready(Err(ModuleError::NotSupported("manual"))).boxed()
    }
    fn login_url<'a>(&'a self, _ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<String>> {
        ready(Err(ModuleError::NotSupported("manual"))).boxed()
    }
    fn has_panel(&self) -> bool {
        false
    }
    fn custom_actions(&self, _ctx: &ModuleContext) -> Vec<CustomAction> {
        Vec::new()
    }
    fn run_custom<'a>(
        &'a self,
        _ctx: &'a ModuleContext,
        _action: &'a str,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        ready(Err(ModuleError::NotSupported("manual"))).boxed()
    }
    fn test_connection<'a>(
        &'a self,
        _server: &'a ServerAccess,
        _now: i64,
    ) -> BoxFuture<'a, ModuleResult<String>> {
        ready(Ok("the manual module needs no connection".to_string())).boxed()
    }
}
