//! The store's domain search: the name asked about, and the same first
//! label in the other sold TLDs as suggestions. A bare label (`example`)
//! is asked under the first sold TLD. The product page's domain field
//! uses `check` itself.

use jiff::Timestamp;

use crate::{
    auth::rate_limit::RateLimiter,
    db::Db,
    error::{AppError, FieldErrors, Result},
};

use super::{
    BULK_MAX, DomainAvailability, DomainChecker, answers,
    availability::{self, Caller},
    names,
};

/// Suggestions shown beside the name asked about.
pub const SUGGESTIONS: usize = 5;

#[derive(Debug, Clone)]
pub struct Search {
    pub asked: DomainAvailability,
    pub suggestions: Vec<DomainAvailability>,
}

pub async fn search(
    db: &Db,
    checker: &DomainChecker,
    limiter: &RateLimiter,
    caller: Caller,
    query: &str,
    now: Timestamp,
) -> Result<Search> {
    let (sold, currency) = availability::catalog_for(db, &caller).await?;
    let query = query.trim().trim_end_matches('.');
    let text = match sold.first() {
        Some(first) if !query.is_empty() && !query.contains('.') => {
            format!("{query}{}", first.tld.tld)
        }
        _ => query.to_string(),
    };
    let (name, tld) = names::resolve(checker, &sold, &text).map_err(|message| {
        AppError::Validation(FieldErrors::from([("domain".to_string(), vec![message])]))
    })?;
    let mut wanted = vec![(name.clone(), tld)];
    wanted.extend(
        sold.iter()
            .filter(|t| t.tld.id != tld.tld.id)
            .filter_map(|t| Some((name.with_tld(&tld.tld.tld, &t.tld.tld)?, t)))
            .take(SUGGESTIONS.min(BULK_MAX - 1)),
    );
    availability::count_against(checker, limiter, &caller, wanted.len(), now)?;
    let mut all = answers::look_up_all(checker, &wanted, &currency, now).await;
    let asked = all.remove(0);
    Ok(Search {
        asked,
        suggestions: all,
    })
}
