//! Asking the VIES service about one id and recording the outcome.

use std::time::Duration;

use jiff::SignedDuration;

use crate::{
    config::ViesConfig,
    domain::{
        tax,
        vat_id::{self, VatStatus},
    },
    integrations::vies::{self, ViesAnswer},
    store::clients::Client,
};

/// How long after VIES was unavailable an id is asked about again.
pub const RETRY_AFTER: SignedDuration = SignedDuration::from_hours(1);
/// Whether `client`'s VAT id is a question for VIES at all: an id, a buyer
/// in an EU state and a seller in another (otherwise reverse charge can
/// never apply).
pub(super) fn in_question(client: &Client, seller_country: &str) -> bool {
    client
        .vat_id
        .as_deref()
        .is_some_and(|v| !v.trim().is_empty())
        && tax::reverse_charge(seller_country, &client.country, client.vat_id.as_deref())
}

pub(super) struct Outcome {
    pub(super) status: VatStatus,
    pub(super) source: &'static str,
    pub(super) detail: String,
}

pub(super) async fn ask(vies_config: &ViesConfig, client: &Client) -> Outcome {
    let text = client.vat_id.clone().unwrap_or_default();
    let id = match vat_id::parse(&client.country, &text) {
        Ok(id) => id,
        Err(why) => {
            return Outcome {
                status: VatStatus::Invalid,
                source: "format",
                detail: format!("{text} {why}"),
            };
        }
    };
    let answer = vies::check(
        &vies_config.url,
        Duration::from_secs(vies_config.timeout_secs),
        id.prefix,
        &id.number,
    )
    .await;
    match answer {
        ViesAnswer::Valid {
            name,
            address,
            request_date,
        } => Outcome {
            status: VatStatus::Valid,
            source: "vies",
            detail: [name, address, format!("VIES request date {request_date}")]
                .into_iter()
                .filter(|s| !s.trim().is_empty() && s.trim() != "---")
                .collect::<Vec<_>>()
                .join(" · "),
        },
        ViesAnswer::Invalid => Outcome {
            status: VatStatus::Invalid,
            source: "vies",
            detail: "VIES does not know this number as valid".into(),
        },
        ViesAnswer::Unavailable(why) => Outcome {
            status: VatStatus::Unavailable,
            source: "vies",
            detail: format!("VIES unavailable: {why}"),
        },
    }
}
