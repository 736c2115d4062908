//! The webhook module: each action is a signed JSON POST to the URL in
//! the product's module settings (`url`), signed with the product's module
//! secret. Custom actions are the names in `custom_actions` (a list).

use futures_util::future::{BoxFuture, FutureExt};
use serde_json::{Value, json};

use super::{
    CustomAction, Module, ModuleContext, ModuleError, ModuleResult, Outcome, ServerAccess,
};
pub mod client;

use client as webhook_module;

pub struct Webhook;

fn body(ctx: &ModuleContext, action: &str, payload: Value) -> Value {
    let s = &ctx.service;
    json!({
        "action": action,
        "service": {
            "id": s.id, "uuid": s.uuid, "status": s.status, "domain": s.domain,
            "username": s.username, "billing_cycle": s.billing_cycle,
            "product": { "id": ctx.product.id, "name": ctx.product.name, "slug": ctx.product.slug },
            "settings": ctx.settings,
        },
        "client": {
            "id": ctx.client.id, "uuid": ctx.client.uuid, "email": ctx.client.email,
            "name": ctx.client.display_name(),
        },
        "payload": payload,
    })
}

async fn send(ctx: &ModuleContext, action: &str, payload: Value) -> ModuleResult<Value> {
    let url = ctx
        .setting("url")
        .ok_or_else(|| ModuleError::Misconfigured("the product has no webhook url".into()))?;
    let secret = ctx
        .module_secret
        .as_deref()
        .ok_or_else(|| ModuleError::Misconfigured("the product has no webhook secret".into()))?;
    let answer = webhook_module::post(
        &ctx.targets,
        url,
        secret,
        ctx.now.as_second(),
        &body(ctx, action, payload),
    )
    .await?;
    Ok(answer)
}

async fn act(ctx: &ModuleContext, action: &str) -> ModuleResult<Outcome> {
    let answer = send(ctx, action, ctx.payload.clone()).await?;
    Ok(Outcome {
        username: answer["username"].as_str().map(str::to_string),
        message: answer["message"].as_str().map(str::to_string),
        todo: None,
    })
}

impl Module for Webhook {
    fn name(&self) -> &'static str {
        "webhook"
    }
    fn create<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        act(ctx, "create").boxed()
    }
    fn suspend<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        act(ctx, "suspend").boxed()
    }
    fn unsuspend<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        act(ctx, "unsuspend").boxed()
    }
    fn terminate<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<Outcome>> {
        act(ctx, "terminate").boxed()
    }
    fn change_package<'a>(
        &'a self,
        ctx: &'a ModuleContext,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        act(ctx, "change_package").boxed()
    }
    fn change_password<'a>(
        &'a self,
        ctx: &'a ModuleContext,
        password: &'a str,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            send(ctx, "change_password", json!({ "password": password })).await?;
            Ok(Outcome::default())
        }
        .boxed()
    }
    fn login_url<'a>(&'a self, ctx: &'a ModuleContext) -> BoxFuture<'a, ModuleResult<String>> {
        async move {
            let answer = send(ctx, "login_url", json!({})).await?;
            answer["url"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| ModuleError::Failed("the webhook answered no url".into()))
        }
        .boxed()
    }
    fn custom_actions(&self, ctx: &ModuleContext) -> Vec<CustomAction> {
        ctx.settings["custom_actions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(|name| CustomAction {
                        name: name.to_string(),
                        label: name.replace('_', " "),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    fn run_custom<'a>(
        &'a self,
        ctx: &'a ModuleContext,
        action: &'a str,
    ) -> BoxFuture<'a, ModuleResult<Outcome>> {
        async move {
            if !self.custom_actions(ctx).iter().any(|a| a.name == action) {
                return Err(ModuleError::NotSupported("webhook"));
            }
            act(ctx, &format!("custom:{action}")).await
        }
        .boxed()
    }
    fn test_connection<'a>(
        &'a self,
        server: &'a ServerAccess,
        now: i64,
    ) -> BoxFuture<'a, ModuleResult<String>> {
        async move {
            let answer = webhook_module::post(
                &server.targets,
                &server.address,
                &server.secret,
                now,
                &json!({"action": "test"}),
            )
            .await?;
            Ok(answer["message"].as_str().unwrap_or("ok").to_string())
        }
        .boxed()
    }
}
