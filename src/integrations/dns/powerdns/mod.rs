//! PowerDNS Authoritative through its HTTP API v1: every call carries the
//! `X-API-Key` header and goes to `{url}/api/v1/servers/{server_id}/zones`.
//! Zones are kind Native (served from PowerDNS's own database, no zone
//! transfers); changes are one `PATCH` of record sets with `changetype`
//! `REPLACE` or `DELETE`, which PowerDNS applies in one transaction. The
//! key is never logged or shown: `Debug` hides it and no error repeats it.

mod wire;

use std::time::Duration;

use reqwest::{Method, StatusCode, Url};

use super::{Call, Change, DnsBackend, DnsError, DnsResult, RecordSet};

/// How many times a call PowerDNS failed on its side is tried.
const ATTEMPTS: usize = 4;

pub struct PowerDns {
    /// `{url}/api/v1/servers/{server_id}/zones`.
    zones: Url,
    key: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for PowerDns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PowerDns")
            .field("zones", &self.zones.as_str())
            .field("key", &"[redacted]")
            .finish()
    }
}

impl PowerDns {
    /// A client for the server at `url` (`http://127.0.0.1:8081`).
    pub fn new(url: &str, key: &str, server_id: &str, timeout_secs: u64) -> DnsResult<PowerDns> {
        let mut zones = Url::parse(url.trim_end_matches('/'))
            .map_err(|e| DnsError::BadResponse(format!("the PowerDNS URL does not parse: {e}")))?;
        zones
            .path_segments_mut()
            .map_err(|_| DnsError::BadResponse("the PowerDNS URL cannot hold a path".into()))?
            .pop_if_empty()
            .extend(["api", "v1", "servers", server_id, "zones"]);
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(timeout_secs.max(1)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| DnsError::Unreachable(e.to_string()))?;
        Ok(PowerDns {
            zones,
            key: key.to_string(),
            http,
        })
    }

    fn zone_url(&self, zone: &str) -> Url {
        let mut url = self.zones.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push(zone);
        }
        url
    }

    /// One request, tried again on PowerDNS's own trouble: with its SQLite
    /// backend two API writes at once fail the second with a 500
    /// ("database is locked", the change rolled back), which a moment
    /// later goes through. Every call here may be repeated: a PATCH
    /// replaces or deletes whole sets, and a zone that failed was not made.
    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<serde_json::Value>,
    ) -> DnsResult<Vec<u8>> {
        let mut pause = Duration::from_millis(100);
        for _ in 1..ATTEMPTS {
            match self
                .send_once(method.clone(), url.clone(), body.clone())
                .await
            {
                Err(DnsError::Refused { status, .. }) if status >= 500 => {
                    tokio::time::sleep(pause).await;
                    pause *= 3;
                }
                other => return other,
            }
        }
        self.send_once(method, url, body).await
    }

    /// One request; answers the body of a 2xx, else the error it means.
    async fn send_once(
        &self,
        method: Method,
        url: Url,
        body: Option<serde_json::Value>,
    ) -> DnsResult<Vec<u8>> {
        let mut req = self
            .http
            .request(method, url)
            .header("X-API-Key", &self.key)
            .header("Accept", "application/json");
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req
            .send()
            .await
            .map_err(|e| DnsError::Unreachable(wire::cause(&e)))?;
        let status = res.status();
        let body = wire::read_bounded(res).await?;
        if status.is_success() {
            return Ok(body);
        }
        Err(match status {
            StatusCode::NOT_FOUND => DnsError::NotFound,
            StatusCode::CONFLICT => DnsError::Exists,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => DnsError::Refused {
                status: status.as_u16(),
                message: "the API key was refused".into(),
            },
            _ => DnsError::Refused {
                status: status.as_u16(),
                message: wire::error_text(&body),
            },
        })
    }
}

impl DnsBackend for PowerDns {
    fn name(&self) -> &'static str {
        "powerdns"
    }

    fn create_zone<'a>(&'a self, zone: &'a str, sets: &'a [RecordSet]) -> Call<'a, ()> {
        Box::pin(async move {
            let body = wire::new_zone(zone, sets);
            self.send(Method::POST, self.zones.clone(), Some(body))
                .await?;
            Ok(())
        })
    }

    fn delete_zone<'a>(&'a self, zone: &'a str) -> Call<'a, ()> {
        Box::pin(async move {
            self.send(Method::DELETE, self.zone_url(zone), None).await?;
            Ok(())
        })
    }

    fn list_records<'a>(&'a self, zone: &'a str) -> Call<'a, Vec<RecordSet>> {
        Box::pin(async move {
            let body = self.send(Method::GET, self.zone_url(zone), None).await?;
            wire::zone_sets(&body)
        })
    }

    fn apply<'a>(&'a self, zone: &'a str, changes: &'a [Change]) -> Call<'a, ()> {
        Box::pin(async move {
            if changes.is_empty() {
                return Ok(());
            }
            let body = wire::patch(changes);
            self.send(Method::PATCH, self.zone_url(zone), Some(body))
                .await?;
            Ok(())
        })
    }
}
