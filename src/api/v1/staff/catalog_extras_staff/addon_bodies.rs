//! What staff send and get back for addons.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{v1::catalog_extras::AddonView, v1::staff::catalog_staff::PriceRequest};
use crate::service::{catalog::PriceInput, catalog::addons::AddonInput};

use super::ident;

// ---- addons ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddonRequest {
    pub name: String,
    pub slug: Option<String>,
    #[serde(default)]
    pub description: String,
    /// visible (default), hidden or retired.
    pub status: Option<String>,
    #[serde(default)]
    pub sort_order: i64,
    /// Per currency and cycle; a `onetime` price is charged once whatever
    /// the service's cycle.
    #[serde(default)]
    pub prices: Vec<PriceRequest>,
    /// The products (id, uuid or slug) it is sold with; replaces the list.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub products: Vec<serde_json::Value>,
}

impl From<AddonRequest> for AddonInput {
    fn from(r: AddonRequest) -> Self {
        AddonInput {
            name: r.name,
            slug: r.slug,
            description: r.description,
            status: r.status.unwrap_or_else(|| "visible".into()),
            sort_order: r.sort_order,
            prices: r.prices.into_iter().map(PriceInput::from).collect(),
            products: r.products.iter().map(ident).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAddonResponse {
    pub success: bool,
    pub data: AddonView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAddonList {
    pub success: bool,
    pub data: Vec<AddonView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AddonQuery {
    /// visible, hidden or retired.
    pub status: Option<String>,
}
