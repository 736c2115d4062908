//! The server form's fields: read from a post or a stored server, and
//! turned into the service's `ServerInput`. The secret is write-only: it
//! is read from the post but never shown again, not even after a mistake.

use std::collections::HashMap;

use crate::{
    error::{AppError, FieldErrors},
    service::services::servers::ServerInput,
    store::servers::Server,
};

pub type Fields = HashMap<String, String>;

pub fn field(f: &Fields, name: &str) -> String {
    f.get(name)
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// What the form shows (never the secret).
#[derive(Debug, Clone)]
pub struct ServerFields {
    pub name: String,
    pub hostname: String,
    pub address: String,
    pub module: String,
    pub scheme: String,
    pub port: String,
    pub username: String,
    pub capacity: String,
    pub active: bool,
    /// The group id, or empty for none.
    pub group_id: String,
    /// One per line.
    pub nameservers: String,
}

impl Default for ServerFields {
    fn default() -> Self {
        ServerFields {
            name: String::new(),
            hostname: String::new(),
            address: String::new(),
            module: "cpanel".into(),
            scheme: "https".into(),
            port: String::new(),
            username: String::new(),
            capacity: "100".into(),
            active: true,
            group_id: String::new(),
            nameservers: String::new(),
        }
    }
}

impl ServerFields {
    pub fn posted(f: &Fields) -> Self {
        ServerFields {
            name: field(f, "name"),
            hostname: field(f, "hostname"),
            address: field(f, "address"),
            module: field(f, "module"),
            scheme: field(f, "scheme"),
            port: field(f, "port"),
            username: field(f, "username"),
            capacity: field(f, "capacity"),
            active: f.contains_key("active"),
            group_id: field(f, "group_id"),
            nameservers: f.get("nameservers").cloned().unwrap_or_default(),
        }
    }

    pub fn stored(s: &Server) -> Self {
        let nameservers: Vec<String> = serde_json::from_str(&s.nameservers).unwrap_or_default();
        ServerFields {
            name: s.name.clone(),
            hostname: s.hostname.clone(),
            address: s.address.clone(),
            module: s.module.clone(),
            scheme: s.scheme.clone(),
            port: s.port.map(|p| p.to_string()).unwrap_or_default(),
            username: s.username.clone(),
            capacity: s.capacity.to_string(),
            active: s.active,
            group_id: s.group_id.map(|g| g.to_string()).unwrap_or_default(),
            nameservers: nameservers.join("\n"),
        }
    }

    /// The service's input; numbers that are not numbers are field
    /// problems here, the rest is the service's to check. An empty secret
    /// keeps the stored one.
    pub fn input(&self, secret: String) -> Result<ServerInput, AppError> {
        let mut errors = FieldErrors::new();
        let mut number = |name: &str, raw: &str| -> Option<i64> {
            if raw.is_empty() {
                return None;
            }
            let parsed = raw.parse().ok();
            if parsed.is_none() {
                errors
                    .entry(name.to_string())
                    .or_default()
                    .push("must be a whole number".into());
            }
            parsed
        };
        let port = number("port", &self.port);
        let capacity = number("capacity", &self.capacity).unwrap_or(0);
        let group_id = number("group_id", &self.group_id);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(ServerInput {
            group_id,
            name: self.name.clone(),
            hostname: self.hostname.clone(),
            address: self.address.clone(),
            module: self.module.clone(),
            scheme: self.scheme.clone(),
            port,
            username: self.username.clone(),
            secret: Some(secret).filter(|s| !s.is_empty()),
            capacity,
            active: self.active,
            nameservers: self
                .nameservers
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> ServerFields {
        ServerFields::posted(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_posted_form_becomes_the_service_input() {
        let input = posted(&[
            ("name", " web1 "),
            ("port", "2087"),
            ("capacity", "50"),
            ("group_id", "3"),
            (
                "nameservers",
                "ns1.example.net\r\nns2.example.net, ns3.example.net",
            ),
            ("secret", "ignored here"),
        ])
        .input("TOKEN".into())
        .unwrap();
        assert_eq!(input.name, "web1");
        assert_eq!(
            (input.port, input.capacity, input.group_id),
            (Some(2087), 50, Some(3))
        );
        assert_eq!(input.nameservers.len(), 3);
        assert_eq!(input.secret.as_deref(), Some("TOKEN"));
        assert!(!input.active, "an unticked box is off");
    }

    #[test]
    fn blanks_keep_the_secret_and_leave_numbers_out() {
        let input = posted(&[("active", "on")]).input(String::new()).unwrap();
        assert_eq!(input.secret, None);
        assert_eq!(
            (input.port, input.capacity, input.group_id),
            (None, 0, None)
        );
        assert!(input.active);
    }

    #[test]
    fn numbers_that_are_not_numbers_are_field_problems() {
        match posted(&[("port", "eighty"), ("capacity", "1.5")]).input(String::new()) {
            Err(AppError::Validation(errors)) => {
                assert!(errors.contains_key("port") && errors.contains_key("capacity"));
            }
            other => panic!("expected field problems, got {other:?}"),
        }
    }
}
