//! cPanel & WHM's JSON API v1: `POST {base}/json-api/<function>` with the
//! parameters (`api.version=1&…`) form-encoded in the body and
//! `Authorization: whm <user>:<token>`. An answer is a success when
//! `metadata.result` is 1; otherwise `metadata.reason` says why.
//!
//! POST, never GET: parameters include account passwords, and a query
//! string ends up in WHM's access log, in proxies' logs and in error
//! messages that quote the URL.

use serde_json::Value;

use crate::integrations::{
    ANSWER_LIMIT, PanelError,
    outbound::{self, TargetPolicy},
    panel_client, panel_transport_error,
};

pub struct Whm {
    /// E.g. `https://host.example.net:2087` (tests: `http://127.0.0.1:port`).
    base_url: String,
    user: String,
    token: String,
    policy: TargetPolicy,
}

/// An account to create.
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub domain: &'a str,
    pub password: &'a str,
    pub plan: &'a str,
    pub contact_email: &'a str,
}

impl Whm {
    pub fn new(policy: &TargetPolicy, base_url: &str, user: &str, token: &str) -> Whm {
        Whm {
            base_url: base_url.trim_end_matches('/').to_string(),
            user: user.to_string(),
            token: token.to_string(),
            policy: policy.clone(),
        }
    }

    /// Call `function` with `params`; answers the `data` member.
    pub async fn call(&self, function: &str, params: &[(&str, &str)]) -> Result<Value, PanelError> {
        let mut form: Vec<(&str, &str)> = vec![("api.version", "1")];
        form.extend_from_slice(params);
        let url = reqwest::Url::parse(&format!("{}/json-api/{function}", self.base_url))
            .map_err(|e| PanelError::TargetRefused(format!("bad WHM address: {e}")))?;
        // createacct can take a while on a busy server.
        let http = panel_client(&self.policy, &url, 60).await?;
        let res = http
            .post(url)
            .header("Authorization", format!("whm {}:{}", self.user, self.token))
            .form(&form)
            .send()
            .await
            .map_err(panel_transport_error)?;
        let status = res.status();
        let raw = outbound::read_limited(res, ANSWER_LIMIT).await?;
        let body: Value = match serde_json::from_slice(&raw) {
            Ok(v) => v,
            Err(_) if !status.is_success() => {
                return Err(PanelError::Refused(format!("WHM answered HTTP {status}")));
            }
            Err(e) => return Err(PanelError::BadResponse(e.to_string())),
        };
        let result = body["metadata"]["result"].as_i64();
        if status.is_success() && result == Some(1) {
            return Ok(body.get("data").cloned().unwrap_or(Value::Null));
        }
        let reason = body["metadata"]["reason"]
            .as_str()
            .map(outbound::excerpt)
            .unwrap_or_else(|| format!("WHM answered HTTP {status} without a reason"));
        match result {
            Some(_) => Err(PanelError::Refused(reason)),
            None if status.is_success() => Err(PanelError::BadResponse(reason)),
            None => Err(PanelError::Refused(reason)),
        }
    }

    pub async fn create_account(&self, a: &NewAccount<'_>) -> Result<Value, PanelError> {
        self.call(
            "createacct",
            &[
                ("username", a.username),
                ("domain", a.domain),
                ("password", a.password),
                ("plan", a.plan),
                ("contactemail", a.contact_email),
            ],
        )
        .await
    }

    pub async fn suspend(&self, user: &str, reason: &str) -> Result<Value, PanelError> {
        self.call("suspendacct", &[("user", user), ("reason", reason)])
            .await
    }

    pub async fn unsuspend(&self, user: &str) -> Result<Value, PanelError> {
        self.call("unsuspendacct", &[("user", user)]).await
    }

    pub async fn remove(&self, user: &str) -> Result<Value, PanelError> {
        self.call("removeacct", &[("username", user)]).await
    }

    pub async fn change_package(&self, user: &str, plan: &str) -> Result<Value, PanelError> {
        self.call("changepackage", &[("user", user), ("pkg", plan)])
            .await
    }

    pub async fn change_password(&self, user: &str, password: &str) -> Result<Value, PanelError> {
        self.call("passwd", &[("user", user), ("password", password)])
            .await
    }

    /// A one-time login URL into the user's cPanel.
    pub async fn login_url(&self, user: &str) -> Result<String, PanelError> {
        let data = self
            .call(
                "create_user_session",
                &[("user", user), ("service", "cpaneld")],
            )
            .await?;
        data["url"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| PanelError::BadResponse("create_user_session gave no url".into()))
    }

    /// Whether the token works (`version`).
    pub async fn version(&self) -> Result<String, PanelError> {
        let data = self.call("version", &[]).await?;
        Ok(data["version"].as_str().unwrap_or_default().to_string())
    }
}
