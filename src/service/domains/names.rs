//! Which sold TLD a typed name falls under, or, in the customer's words,
//! why it cannot be checked (the 422's message for its field).

use crate::{
    domain::domain_name::{DomainName, NameError},
    service::catalog::tlds::PricedTld,
};

use super::DomainChecker;

/// A name and the sold TLD it falls under, or why it cannot be checked.
pub(super) fn resolve<'a>(
    checker: &DomainChecker,
    sold: &'a [PricedTld],
    text: &str,
) -> std::result::Result<(DomainName, &'a PricedTld), String> {
    let name = DomainName::parse(text).map_err(|e| e.to_string())?;
    let endings: Vec<&str> = sold.iter().map(|t| t.tld.tld.as_str()).collect();
    let tld = match name.registrable(&endings) {
        Ok(Some(tld)) => tld,
        Err(NameError::NotAName) => {
            return Err(
                "must be one name before its ending, such as example.com (no www or sub-domains)"
                    .into(),
            );
        }
        Err(e) => return Err(e.to_string()),
        Ok(None) => {
            let top = name.labels().last().unwrap_or_default();
            return Err(if checker.lookups.knows_tld(top) {
                format!("we do not sell .{top} domains")
            } else {
                format!(".{top} is not a domain ending we know or sell")
            });
        }
    };
    let priced = sold
        .iter()
        .find(|t| t.tld.tld == tld)
        .ok_or_else(|| "we do not sell this ending".to_string())?;
    Ok((name, priced))
}
