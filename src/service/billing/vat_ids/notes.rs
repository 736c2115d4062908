//! What invoices and staff pages say about an id.

use crate::{domain::vat_id::VatStatus, store::clients::Client};

/// The line an invoice carries when an EU business buyer is charged VAT
/// because its id is not validated: why, so the buyer knows what to fix.
pub fn vat_charged_note(client: &Client) -> String {
    let vat = client.vat_id.as_deref().unwrap_or_default();
    let day = client
        .vat_checked_at
        .as_deref()
        .and_then(|t| t.get(..10))
        .unwrap_or("");
    let why = match (
        VatStatus::parse(&client.vat_status),
        client.vat_source.as_deref(),
    ) {
        (VatStatus::Invalid, Some("format")) => format!("{vat} is not a well-formed VAT id"),
        (VatStatus::Invalid, _) => {
            format!("the VAT id {vat} is not valid according to VIES (checked {day})")
        }
        (VatStatus::Unavailable, _) => {
            format!("the VAT id {vat} could not be validated (VIES was unavailable on {day})")
        }
        _ => format!("the VAT id {vat} has not been validated yet"),
    };
    format!("VAT charged: {why}, so the EU reverse charge does not apply.")
}

/// What is known about a VAT id, in words (`validated by VIES on
/// 2026-01-15`), from its status, source and check time.
pub fn describe(status: &str, source: Option<&str>, checked_at: Option<&str>) -> String {
    let day = checked_at.and_then(|t| t.get(..10)).unwrap_or("");
    match (VatStatus::parse(status), source) {
        (VatStatus::Valid, _) => format!("validated by VIES on {day}"),
        (VatStatus::Verified, _) => format!("verified by staff on {day}"),
        (VatStatus::Invalid, Some("format")) => "not a well-formed VAT id".into(),
        (VatStatus::Invalid, _) => format!("not valid according to VIES (checked {day})"),
        (VatStatus::Unavailable, _) => {
            format!("not validated yet: VIES was unavailable on {day}; it is asked again later")
        }
        (VatStatus::Unchecked, _) => "not validated yet".into(),
    }
}

/// `describe` for a client with a VAT id.
pub fn describe_client(c: &Client) -> Option<String> {
    c.vat_id.as_deref().filter(|v| !v.trim().is_empty())?;
    Some(describe(
        &c.vat_status,
        c.vat_source.as_deref(),
        c.vat_checked_at.as_deref(),
    ))
}
