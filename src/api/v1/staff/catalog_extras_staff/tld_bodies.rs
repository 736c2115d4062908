//! What staff send and get back for domain TLDs and their prices.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::v1::catalog_extras::{DomainTldView, RegistrantField};
use crate::domain::money_input::MoneyInput;
use crate::service::catalog::tlds::{TldInput, TldPriceInput};

// ---- TLDs ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TldPriceRequest {
    pub currency: String,
    /// The term, 1 to 10.
    pub years: i64,
    /// `9.99`, `"9.99"` or `{"amount_minor": 999}`, read exactly (or
    /// `register_minor`).
    #[schema(value_type = Option<String>)]
    pub register: Option<MoneyInput>,
    pub register_minor: Option<i64>,
    /// Leave out where renewing for this term is not offered.
    #[schema(value_type = Option<String>)]
    pub renew: Option<MoneyInput>,
    pub renew_minor: Option<i64>,
    /// Leave out where transfers for this term are not offered.
    #[schema(value_type = Option<String>)]
    pub transfer: Option<MoneyInput>,
    pub transfer_minor: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TldRequest {
    /// `.com` or `com`.
    pub tld: String,
    #[serde(default)]
    pub requires_manual_check: bool,
    #[serde(default)]
    pub supports_id_protection: bool,
    /// active (default) or retired.
    pub status: Option<String>,
    #[serde(default)]
    pub sort_order: i64,
    /// Replaces every price.
    #[serde(default)]
    pub prices: Vec<TldPriceRequest>,
    /// What its registry wants beyond the contact (see README, "Domain
    /// registrant fields"); replaces the list; left out keeps it.
    pub registrant_fields: Option<Vec<RegistrantField>>,
}

impl From<TldRequest> for TldInput {
    fn from(r: TldRequest) -> Self {
        TldInput {
            tld: r.tld,
            requires_manual_check: r.requires_manual_check,
            supports_id_protection: r.supports_id_protection,
            status: r.status.unwrap_or_else(|| "active".into()),
            sort_order: r.sort_order,
            prices: r
                .prices
                .into_iter()
                .map(|p| TldPriceInput {
                    currency: p.currency,
                    years: p.years,
                    register: p.register,
                    register_minor: p.register_minor,
                    renew: p.renew,
                    renew_minor: p.renew_minor,
                    transfer: p.transfer,
                    transfer_minor: p.transfer_minor,
                })
                .collect(),
            registrant_fields: r
                .registrant_fields
                .map(|list| list.into_iter().map(Into::into).collect()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffTldResponse {
    pub success: bool,
    pub data: DomainTldView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffTldList {
    pub success: bool,
    pub data: Vec<DomainTldView>,
}
