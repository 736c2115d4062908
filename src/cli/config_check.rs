//! `till config check`: what would stop `till serve`, printed without
//! starting anything. `serve` refuses to start on the same findings.

use super::Failure;
use crate::config::{Config, check::Finding};

/// Every finding for `config`.
pub fn findings(config: &Config) -> Vec<Finding> {
    crate::config::check::findings(config)
}

pub fn run(config: Config) -> Result<(), Failure> {
    let found = findings(&config);
    if found.is_empty() {
        println!("till: configuration check: no findings");
        return Ok(());
    }
    for f in &found {
        println!("{f}");
    }
    Err(Failure::config(format!(
        "configuration check: {} finding(s); `till serve` refuses to start until they are fixed",
        found.len()
    )))
}

/// For `serve`: the findings as one refusal.
pub fn refuse_unsafe(config: &Config) -> Result<(), Failure> {
    let found = findings(config);
    if found.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = found.iter().map(|f| format!("  {f}")).collect();
    Err(Failure::config(format!(
        "refusing to start (see `till config check`):\n{}",
        list.join("\n")
    )))
}
