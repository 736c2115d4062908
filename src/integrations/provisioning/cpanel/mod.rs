//! The cPanel module over WHM's JSON API v1. The server's `scheme`,
//! address (or hostname) and `port` (default 2087) make the base URL; its
//! user name and sealed API token authenticate. The product's module
//! settings name the WHM package (`package`).

pub mod whm;

use futures_util::future::{BoxFuture, FutureExt, ready};

use super::{
    CustomAction, Module, ModuleContext, ModuleError, ModuleResult, Outcome, ServerAccess,
    username_for,
};
use crate::{
    auth::random,
    integrations::provisioning::cpanel::whm::{NewAccount, Whm},
};

pub struct Cpanel;

const DEFAULT_PORT: i64 = 2087;

fn client(server: &ServerAccess) -> Whm {
    Whm::new(
        &server.targets,
        &server.base_url(DEFAULT_PORT),
        &server.username,
        &server.secret,
    )
}

fn whm(ctx: &ModuleContext) -> ModuleResult<Whm> {
    ctx.server
        .as_ref()
        .map(client)
        .ok_or_else(|| ModuleError::Misconfigured("the service is on no server".into()))
}

fn user(ctx: &ModuleContext) -> ModuleResult<&str> {
    ctx.service
        .username
        .as_deref()
        .ok_or_else(|| ModuleError::Misconfigured("the service has no cPanel user name".into()))
}

fn package(ctx: &ModuleContext) -> ModuleResult<String> {
    ctx.payload["package"]
        .as_str()
        .or_else(|| ctx.setting("package"))
        .map(str::to_string)
        .ok_or_else(|| ModuleError::Misconfigured("no WHM package in the module settings".into()))
}

fn done(username: Option<String>) -> Outcome {
    Outcome {
        username,
        ..Outcome::default()
    }
}

impl Module for Cpanel {
    fn name(&self) -> &'static str {
        "cpanel"
    }
    fn create<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            let whm = whm(ctx)?;
            let plan = package(ctx)?;
            let domain = ctx.service.domain.as_deref().ok_or_else(|| {
                ModuleError::Misconfigured("a cPanel account needs a domain".into())
            })?;
            let username = ctx
                .service
                .username
                .clone()
                .unwrap_or_else(|| username_for(Some(domain), ctx.service.id));
            let password = random::password();
            whm.create_account(&NewAccount {
                username: &username,
                domain,
                password: &password,
                plan: &plan,
                contact_email: &ctx.client.email,
            })
            .await?;
            Ok(done(Some(username)))
        }
        .boxed()
    }
    fn suspend<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            let reason = ctx.payload["reason"].as_str().unwrap_or("Suspended");
            whm(ctx)?.suspend(user(ctx)?, reason).await?;
            Ok(done(None))
        }
        .boxed()
    }
    fn unsuspend<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            whm(ctx)?.unsuspend(user(ctx)?).await?;
            Ok(done(None))
        }
        .boxed()
    }
    fn terminate<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            whm(ctx)?.remove(user(ctx)?).await?;
            Ok(done(None))
        }
        .boxed()
    }
    fn change_package<'a>(
        &'a self,
        ctx: &'a ModuleContext,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            whm(ctx)?.change_package(user(ctx)?, &package(ctx)?).await?;
            Ok(done(None))
        }
        .boxed()
    }
    fn change_password<'a>(
        &'a self,
        ctx: &'a ModuleContext,
        password: &'a str,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            whm(ctx)?.change_password(user(ctx)?, password).await?;
            Ok(done(None))
        }
        .boxed()
    }
    fn login_url<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<String>> {
        async move { Ok(whm(ctx)?.login_url(user(ctx)?).await?) }.boxed()
    }
    fn custom_actions(&self, _ctx: &ModuleContext) -> Vec<CustomAction> {
        Vec::new()
    }
    fn run_custom<'a>(
        &'a self,
        _ctx: &'a ModuleContext,
        _action: &'a str,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        ready(Err(ModuleError::NotSupported("cpanel"))).boxed()
    }
    fn test_connection<'a>(
        &'a self,
        server: &'a ServerAccess,
        _now: i64,
    ) -> BoxFuture<'a, ModuleResult<String>> {
        async move {
            let version = client(server).version().await?;
            Ok(format!("WHM {version}"))
        }
        .boxed()
    }
}
