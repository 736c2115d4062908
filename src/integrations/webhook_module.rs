//! The webhook provisioning module's wire format: each action is a JSON
//! POST to the product's URL, signed with
//! `X-Till-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`
//! under the product's secret. A 2xx answer whose JSON says
//! `"success": true` is a success; anything else is a failure carrying the
//! answer's `message` (or `error`).

use serde_json::Value;

use super::{PanelError, panel_client, panel_transport_error};
use crate::auth::secrets::hmac;

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

/// POST `body` to `url`; answers the receiver's JSON on success.
pub async fn post(url: &str, secret: &str, unix: i64, body: &Value) -> Result<Value, PanelError> {
    let bytes = serde_json::to_vec(body).map_err(|e| PanelError::BadResponse(e.to_string()))?;
    let res = panel_client(10)
        .post(url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature(secret, unix, &bytes))
        .body(bytes)
        .send()
        .await
        .map_err(panel_transport_error)?;
    let status = res.status();
    let text = res.text().await.map_err(panel_transport_error)?;
    let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let message = answer["message"]
        .as_str()
        .or_else(|| answer["error"].as_str())
        .map(str::to_string);
    if status.is_success() && answer["success"].as_bool() == Some(true) {
        return Ok(answer);
    }
    Err(PanelError::Refused(message.unwrap_or_else(|| {
        let snippet: String = text.chars().take(200).collect();
        format!("the webhook answered HTTP {status}: {snippet}")
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
