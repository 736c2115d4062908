//! Checking what staff send (every problem named by its field) and the
//! audit rows of their changes.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    domain::knowledge::Visibility,
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Actor, Event},
};

pub const MAX_NAME: usize = 120;
pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_BODY: usize = 100_000;

/// The problems of one input, by field.
#[derive(Default)]
pub struct Problems(FieldErrors);

impl Problems {
    pub fn add(&mut self, field: &str, message: &str) {
        self.0
            .entry(field.to_string())
            .or_default()
            .push(message.to_string());
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// A required line of text (trimmed), at most `max` characters.
    pub fn line(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, "is required");
        } else if value.chars().count() > max {
            self.add(field, &format!("must be at most {max} characters"));
        } else if value.chars().any(char::is_control) {
            self.add(field, "must be one line of text");
        }
        value.to_string()
    }

    /// Markdown, at most `max` characters; `required` when it may not be
    /// blank.
    pub fn markdown(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        if required && value.trim().is_empty() {
            self.add(field, "is required");
        } else if value.chars().count() > max {
            self.add(field, &format!("must be at most {max} characters"));
        }
        value.replace("\r\n", "\n")
    }

    pub fn visibility(&mut self, value: &str) -> Visibility {
        Visibility::parse(value).unwrap_or_else(|| {
            self.add("visibility", "must be public or logged_in");
            Visibility::Public
        })
    }

    /// Refuse the input if anything was wrong with it.
    pub fn check(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

/// A staff change's audit row, in the change's transaction.
pub fn audit_staff(
    tx: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    subject: (&str, i64),
    details: serde_json::Value,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::from(staff),
            action,
            subject: Some(subject),
            client_id: None,
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}

/// The visibility of input already checked by `Problems::visibility`.
pub fn visibility_of(value: &str) -> Visibility {
    Visibility::parse(value).unwrap_or_default()
}
