//! The webhook provisioning module's wire format: each action is a JSON
//! POST to the product's URL, signed with
//! `X-Till-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`
//! under the product's secret. A 2xx answer whose JSON says
//! `"success": true` is a success; anything else is a failure carrying the
//! answer's `message` (or `error`).

use serde_json::Value;

use crate::auth::secrets::hmac;
use crate::integrations::{
    ANSWER_LIMIT, PanelError, outbound, outbound::TargetPolicy, panel_client, panel_transport_error,
};

pub const SIGNATURE_HEADER: &str = "X-Till-Signature";

/// The header value for `body` signed at `unix` under `secret`.
pub fn signature(secret: &str, unix: i64, body: &[u8]) -> String {
    let mut message = format!("{unix}.").into_bytes();
    message.extend_from_slice(body);
    format!(
        "t={unix},v1={}",
        hex::encode(hmac(secret.as_bytes(), &message))
    )
}

/// POST `body` to `url` (if `policy` lets till call it); answers the
/// receiver's JSON on success. At most `outbound::REMOTE_EXCERPT_BYTES` of
/// what the receiver said reach the error.
pub async fn post(
    policy: &TargetPolicy,
    url: &str,
    secret: &str,
    unix: i64,
    body: &Value,
) -> Result<Value, PanelError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| PanelError::TargetRefused(format!("bad webhook url: {e}")))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(PanelError::TargetRefused(
            "the webhook url must be http or https".into(),
        ));
    }
    let http = panel_client(policy, &parsed, 10).await?;
    let bytes = serde_json::to_vec(body).map_err(|e| PanelError::BadResponse(e.to_string()))?;
    let res = http
        .post(parsed)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature(secret, unix, &bytes))
        .body(bytes)
        .send()
        .await
        .map_err(panel_transport_error)?;
    let status = res.status();
    let raw = outbound::read_limited(res, ANSWER_LIMIT).await?;
    let text = String::from_utf8_lossy(&raw);
    let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if status.is_success() && answer["success"].as_bool() == Some(true) {
        return Ok(answer);
    }
    let said = answer["message"]
        .as_str()
        .or_else(|| answer["error"].as_str())
        .map(outbound::excerpt);
    Err(PanelError::Refused(said.unwrap_or_else(|| {
        format!(
            "the webhook answered HTTP {status}: {}",
            outbound::excerpt(&text)
        )
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_of_time_dot_body() {
        let sig = signature("whsec", 1_700_000_000, b"{}");
        let expected = hex::encode(hmac(b"whsec", b"1700000000.{}"));
        assert_eq!(sig, format!("t=1700000000,v1={expected}"));
    }
}
