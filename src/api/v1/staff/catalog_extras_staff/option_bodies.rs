//! What staff send and get back for configurable options and their choices.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{v1::catalog_extras::OptionView, v1::staff::catalog_staff::PriceRequest};
use crate::service::{
    catalog::PriceInput,
    catalog::config_options::{ChoiceInput, OptionInput},
};

// ---- configurable options ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceRequest {
    /// An existing choice to change; leave out for a new one.
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub sort_order: i64,
    /// Per currency and cycle (the product's cycle); none at all: free.
    #[serde(default)]
    pub prices: Vec<PriceRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigOptionRequest {
    pub name: String,
    /// dropdown, radio, quantity or yesno (cannot change later).
    pub kind: String,
    /// Orders must give it.
    #[serde(default)]
    pub required: bool,
    /// Quantity options: the allowed range (the maximum may be left out).
    pub min_quantity: Option<i64>,
    pub max_quantity: Option<i64>,
    #[serde(default)]
    pub sort_order: i64,
    /// active (default) or retired.
    pub status: Option<String>,
    /// Every choice (a quantity or yes/no option has exactly one); choices
    /// left out on update are retired.
    #[serde(default)]
    pub choices: Vec<ChoiceRequest>,
}

impl From<ConfigOptionRequest> for OptionInput {
    fn from(r: ConfigOptionRequest) -> Self {
        OptionInput {
            name: r.name,
            kind: r.kind,
            required: r.required,
            min_quantity: r.min_quantity,
            max_quantity: r.max_quantity,
            sort_order: r.sort_order,
            status: r.status.unwrap_or_else(|| "active".into()),
            choices: r
                .choices
                .into_iter()
                .map(|c| ChoiceInput {
                    id: c.id,
                    name: c.name,
                    sort_order: c.sort_order,
                    prices: c.prices.into_iter().map(PriceInput::from).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffOptionResponse {
    pub success: bool,
    pub data: OptionView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffOptionList {
    pub success: bool,
    pub data: Vec<OptionView>,
}
