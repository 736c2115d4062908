//! What a domain costs the caller: the TLD's prices in the caller's
//! currency. A signed-in client's account currency (the client named by
//! `X-Client-Id` or the session's account, else the user's first account),
//! else the shop's default; reference 000's check takes no currency.

use rusqlite::Connection;

use crate::{
    auth::principal::Principal,
    error::{AppError, Result},
    service::{access::client_access, billing, catalog::tlds::PricedTld},
    store::{clients, currencies, currencies::Currency, tlds::TldPrice},
};

/// One TLD's terms (1 to 10 years) in one currency, shortest first.
#[derive(Debug, Clone)]
pub struct TldPricing {
    pub currency: Currency,
    pub terms: Vec<TldPrice>,
}

/// The currency the caller is shown prices in.
pub(super) fn caller_currency(
    conn: &Connection,
    principal: Option<&Principal>,
    client: Option<&str>,
) -> Result<Currency> {
    let code = match (principal, client) {
        (Some(p), Some(ident)) => Some(client_access(conn, p, ident)?.client.currency_code),
        (None, Some(_)) => return Err(AppError::Unauthenticated),
        (Some(Principal::User(u)), None) => clients::for_user(conn, u.user_id)?
            .into_iter()
            .next()
            .map(|(c, _)| c.currency_code),
        _ => None,
    };
    match code {
        Some(code) => billing::currency(conn, &code),
        None => currencies::default(conn)?
            .ok_or_else(|| AppError::Unavailable("no currency is set up yet".into())),
    }
}

/// `tld`'s prices in `currency`; `None` when it has none there.
pub(super) fn for_currency(tld: &PricedTld, currency: &Currency) -> Option<TldPricing> {
    let mut terms: Vec<TldPrice> = tld
        .prices
        .iter()
        .filter(|p| p.currency == currency.code)
        .cloned()
        .collect();
    terms.sort_by_key(|p| p.years);
    (!terms.is_empty()).then(|| TldPricing {
        currency: currency.clone(),
        terms,
    })
}
