//! The company's name, address and base URL as every email shows them.

use crate::config::Config;

/// What every email shows of the business.
#[derive(Debug, Clone)]
pub struct Branding {
    pub company: String,
    pub base_url: String,
}

impl Branding {
    pub fn from_config(config: &Config) -> Self {
        Self {
            company: config.company.name.clone(),
            base_url: config.base_url(),
        }
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}
