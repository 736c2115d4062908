//! LogicBoxes' HTTP API: `GET` or `POST {base}/<area>/<call>.json` with
//! the reseller's `auth-userid` and `api-key` among the parameters, a
//! JSON answer, and `{"status": "ERROR", "message": ...}` when it will not.
//!
//! The API key travels as a parameter (their protocol), so this client
//! posts it in the body wherever the call allows a POST, and never lets a
//! URL into an error: reqwest's errors quote the URL, query and all.

use reqwest::Method;
use serde_json::Value;

use super::LogicBoxesConfig;
use crate::integrations::{
    ANSWER_LIMIT,
    outbound::{self, TargetPolicy},
    panel_client,
    registrars::RegistrarError,
};

pub struct Client<'a> {
    pub config: &'a LogicBoxesConfig,
    pub policy: &'a TargetPolicy,
}

pub type Params = Vec<(&'static str, String)>;

fn transport(err: reqwest::Error) -> RegistrarError {
    let err = err.without_url();
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    RegistrarError::Transient(format!("LogicBoxes unreachable: {message}"))
}

impl Client<'_> {
    pub async fn get(&self, call: &str, params: Params) -> Result<Value, RegistrarError> {
        self.send(Method::GET, call, params).await
    }

    pub async fn post(&self, call: &str, params: Params) -> Result<Value, RegistrarError> {
        self.send(Method::POST, call, params).await
    }

    async fn send(
        &self,
        method: Method,
        call: &str,
        mut params: Params,
    ) -> Result<Value, RegistrarError> {
        let base = format!("{}/", self.config.base_url.trim_end_matches('/'));
        let mut url = reqwest::Url::parse(&base)
            .and_then(|b| b.join(call))
            .map_err(|e| RegistrarError::Misconfigured(format!("bad LogicBoxes URL: {e}")))?;
        params.push(("auth-userid", self.config.auth_userid.clone()));
        params.push(("api-key", self.config.api_key.expose().to_string()));
        let http = panel_client(self.policy, &url, self.config.timeout_secs.max(1)).await?;
        let request = if method == Method::GET {
            url.query_pairs_mut().extend_pairs(&params);
            http.get(url)
        } else {
            http.post(url).form(&params)
        };
        let res = request.send().await.map_err(transport)?;
        let status = res.status();
        let raw = outbound::read_limited(res, ANSWER_LIMIT).await?;
        let body: Option<Value> = serde_json::from_slice(&raw).ok();
        // A gateway in front of the API, or the API itself, out of order.
        if status.is_server_error() && !is_error(body.as_ref())
            || matches!(status.as_u16(), 429 | 502 | 503 | 504)
        {
            return Err(RegistrarError::Transient(format!(
                "LogicBoxes answered HTTP {status}"
            )));
        }
        match body {
            Some(v) if is_error(Some(&v)) => Err(RegistrarError::refused(
                "ERROR",
                v["message"]
                    .as_str()
                    .or_else(|| v["error"].as_str())
                    .unwrap_or("no message"),
            )),
            Some(v) if status.is_success() => Ok(v),
            // Not the API answering (a wrong base URL, a proxy's page):
            // asking again will not help until the settings change.
            _ if status.is_client_error() => Err(RegistrarError::Misconfigured(format!(
                "LogicBoxes answered HTTP {status}; is the base URL right?"
            ))),
            _ => Err(RegistrarError::Transient(format!(
                "LogicBoxes answered HTTP {status}: {}",
                outbound::excerpt(&String::from_utf8_lossy(&raw))
            ))),
        }
    }
}

fn is_error(body: Option<&Value>) -> bool {
    body.and_then(|v| v["status"].as_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("error"))
}

/// A number the API gives as a JSON number or a string of digits.
pub fn id(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => {
            Some(s.clone())
        }
        _ => None,
    }
}
