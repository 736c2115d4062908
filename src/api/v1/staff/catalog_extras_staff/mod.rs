//! Staff resources in reference 002's style for addons, configurable
//! options and domain TLDs (`catalog:read` to list, `catalog:write` to
//! change). Retiring (DELETE) keeps what services already bought.

mod addon_bodies;
mod addons;
mod option_bodies;
mod options;
mod tld_bodies;
mod tlds;

pub use addon_bodies::{AddonQuery, AddonRequest, StaffAddonList, StaffAddonResponse};
pub use addons::{
    __path_create_addon, __path_get_addon, __path_list_addons, __path_retire_addon,
    __path_update_addon, create_addon, get_addon, list_addons, retire_addon, update_addon,
};
pub use option_bodies::{ChoiceRequest, ConfigOptionRequest, StaffOptionList, StaffOptionResponse};
pub use options::{
    __path_create_option, __path_list_options, __path_retire_option, __path_update_option,
    create_option, list_options, retire_option, update_option,
};
pub use tld_bodies::{StaffTldList, StaffTldResponse, TldPriceRequest, TldRequest};
pub use tlds::{
    __path_create_tld, __path_list_tlds, __path_retire_tld, __path_update_tld, create_tld,
    list_tlds, retire_tld, update_tld,
};

use actix_web::HttpResponse;

use crate::api::v1::staff::keys::SuccessMessage;

fn retired(what: &str) -> HttpResponse {
    HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: format!("{what} retired"),
    })
}

fn ident(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
