//! What an order or a quote asks for, as JSON, and how it becomes the
//! service's `ItemRequest`s.

use std::collections::BTreeMap;

use crate::api::extract::ApiPrincipal;
use crate::{
    auth::principal::Principal,
    config::Secret,
    error::AppError,
    service::sales::orders::{ItemRequest, OptionRequest},
};
use actix_web::{HttpRequest, http::header};
use serde::Deserialize;
use utoipa::ToSchema;

/// Configurable options: a list of `{"option": id, "value": ...}`, or a
/// map `{"<option id>": value}` (reference 001/004's `configoptions`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum OptionsBody {
    List(Vec<OptionBody>),
    #[schema(value_type = Object)]
    Map(serde_json::Map<String, serde_json::Value>),
}

impl Default for OptionsBody {
    fn default() -> Self {
        OptionsBody::List(Vec::new())
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OptionBody {
    /// Option id or uuid.
    #[schema(value_type = String)]
    pub option: serde_json::Value,
    /// A choice id (dropdown, radio), a quantity, or yes/no (`"yes"`,
    /// `"no"`, `1`, `0`, `true`, `false`).
    #[schema(value_type = String)]
    pub value: serde_json::Value,
}

/// Reference 000's order item, with configurable options, addons and a
/// registration term. Amounts and currencies a caller sends are ignored:
/// prices come from the catalog.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemBody {
    /// `hosting` (any catalog product) or `domain` (a domain on its own).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Product id, uuid or slug (not for `domain` items; reference 003
    /// calls it `product_id`).
    #[serde(default)]
    #[schema(value_type = String)]
    #[serde(alias = "product_id")]
    pub package_id: serde_json::Value,
    #[serde(default)]
    pub billing_cycle: String,
    pub domain: Option<String>,
    /// `existing` (default for products), `register` (default for domain
    /// items), `transfer`, or `renew` (a `domain` item: one of the
    /// client's own domains, for `years` more).
    pub domain_option: Option<String>,
    /// Registration, transfer or renewal term in years, 1 to 10 (default 1).
    pub years: Option<u32>,
    /// A transfer's auth (EPP) code, 1 to 64 printable characters:
    /// required for transfers, kept sealed and never shown back.
    #[schema(value_type = Option<String>, write_only)]
    pub epp_code: Option<Secret>,
    /// The TLD's registrant fields (`{"us_nexus": "C11"}`; the TLD's
    /// `registrant_fields` say which).
    #[serde(default)]
    pub domain_fields: BTreeMap<String, String>,
    #[serde(default, alias = "configoptions")]
    pub options: OptionsBody,
    /// Addon ids, uuids or slugs (or `{"addon_id": id}`).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub addons: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderBody {
    pub items: Vec<ItemBody>,
    /// A promotion code (reference 001/003 `promocode`).
    #[serde(default, alias = "promocode")]
    pub promo_code: Option<String>,
    /// Free text kept with the order.
    pub notes: Option<String>,
}

/// A JSON scalar as text: `"4"`, `4` and `true` all say something.
fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        serde_json::Value::Object(o) => o
            .get("addon_id")
            .or_else(|| o.get("id"))
            .map(text)
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

fn item_request(i: &ItemBody) -> ItemRequest {
    let options = match &i.options {
        OptionsBody::List(list) => list
            .iter()
            .map(|o| OptionRequest {
                option: text(&o.option),
                value: text(&o.value),
            })
            .collect(),
        OptionsBody::Map(map) => map
            .iter()
            .map(|(k, v)| OptionRequest {
                option: k.clone(),
                value: text(v),
            })
            .collect(),
    };
    ItemRequest {
        kind: i.kind.clone(),
        product: text(&i.package_id),
        billing_cycle: i.billing_cycle.clone(),
        domain: i.domain.clone(),
        domain_option: i.domain_option.clone(),
        years: i.years,
        options,
        addons: i.addons.iter().map(text).collect(),
        epp_code: i.epp_code.clone(),
        // Only a cart seals a code; a caller never hands one in sealed.
        epp_code_sealed: None,
        domain_fields: i.domain_fields.clone(),
    }
}

pub(crate) fn items(body: &OrderBody) -> Vec<ItemRequest> {
    body.items.iter().map(item_request).collect()
}

/// Parse a JSON body by hand (the raw bytes are also hashed for
/// idempotency), with the same errors as every other JSON body.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    body: &[u8],
) -> Result<T, AppError> {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
    if !json {
        return Err(AppError::UnsupportedMediaType);
    }
    serde_json::from_slice(body)
        .map_err(|e| crate::api::json_error(actix_web::error::JsonPayloadError::Deserialize(e)))
}

pub(crate) async fn maybe_principal(req: &HttpRequest) -> Result<Option<Principal>, AppError> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        use actix_web::FromRequest;
        let p = ApiPrincipal::from_request(req, &mut actix_web::dev::Payload::None).await?;
        return Ok(Some(p.0));
    }
    Ok(None)
}
