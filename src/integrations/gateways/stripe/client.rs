//! The Stripe client: its account, and sending form-encoded requests
//! with their JSON answers and error messages.

use serde::{Deserialize, de::DeserializeOwned};

use crate::config::Secret;
use crate::integrations::gateways::{
    GatewayError, endpoint, http_client, snippet, transport_error,
};

/// A Stripe account, reached at `base_url` with its secret key. Cheap to
/// clone; `Debug` never shows the key.
#[derive(Clone, Debug)]
pub struct Stripe {
    base_url: String,
    secret_key: Secret,
    http: reqwest::Client,
}

impl Stripe {
    pub fn new(base_url: &str, secret_key: &str) -> Stripe {
        Stripe {
            base_url: base_url.trim_end_matches('/').to_string(),
            secret_key: Secret::new(secret_key),
            http: http_client(),
        }
    }

    pub(super) async fn post<T: DeserializeOwned>(
        &self,
        path: &[&str],
        form: &[(String, String)],
        idempotency_key: &str,
    ) -> Result<T, GatewayError> {
        let mut request = self.http.post(endpoint(&self.base_url, path)?).form(form);
        if !idempotency_key.is_empty() {
            request = request.header("Idempotency-Key", idempotency_key);
        }
        self.send(request).await
    }

    pub(super) async fn get<T: DeserializeOwned>(&self, path: &[&str]) -> Result<T, GatewayError> {
        self.send(self.http.get(endpoint(&self.base_url, path)?))
            .await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, GatewayError> {
        let response = request
            .bearer_auth(self.secret_key.expose())
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport_error)?;
        if !status.is_success() {
            return Err(GatewayError::Rejected {
                status: status.as_u16(),
                message: error_message(&body),
            });
        }
        serde_json::from_slice(&body)
            .map_err(|e| GatewayError::BadResponse(format!("{e}: {}", snippet(&body))))
    }
}

/// Stripe's `{"error": {"message": …}}`, or the start of whatever came.
pub(super) fn error_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Envelope {
        error: Inner,
    }
    #[derive(Deserialize)]
    struct Inner {
        message: Option<String>,
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    match serde_json::from_slice::<Envelope>(body) {
        Ok(Envelope { error }) => error
            .message
            .or(error.kind)
            .unwrap_or_else(|| "unknown error".into()),
        Err(_) => snippet(body),
    }
}
