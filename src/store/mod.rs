//! All SQL lives here: plain synchronous functions over a `&Connection`
//! (a `&Transaction` derefs to one), one file per table group.

pub mod addons;
pub mod api_keys;
pub mod audit;
pub mod automation;
pub mod carts;
pub mod catalog;
pub mod clients;
pub mod config_options;
pub mod contact_invitations;
pub mod currencies;
pub mod dns_records;
pub mod dns_zones;
pub mod domain_renewals;
pub mod domains;
pub mod email_tokens;
pub mod idempotency;
pub mod invoices;
pub mod job_runs;
pub mod knowledge;
pub mod login_challenges;
pub mod memberships;
pub mod module_tasks;
pub mod notifications;
pub mod orders;
pub mod outbox;
pub mod payment_attempts;
pub mod payment_methods;
pub mod payments;
pub mod promotions;
pub mod refresh_tokens;
pub mod refunds;
pub mod registrars;
pub mod servers;
pub mod service_changes;
pub mod service_periods;
pub mod services;
pub mod sessions;
pub mod settings;
pub mod staff;
mod status_sql;
pub mod support;
pub mod taxes;
pub mod tlds;
pub mod two_factor;
pub mod users;

/// The write broke a UNIQUE constraint (the thing already exists): a
/// service turns this into a conflict or a field error of its own words.
pub fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// A page of rows plus the total count.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
}

/// LIMIT/OFFSET for 1-based `page` of `per_page` rows.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub fn limit(self) -> i64 {
        self.per_page
    }

    pub fn offset(self) -> i64 {
        (self.page - 1).max(0) * self.per_page
    }
}
