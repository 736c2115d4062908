//! Customers and contacts at LogicBoxes: every order belongs to a
//! customer (found by the contact's email, or created), and names its
//! registrant, admin, tech and billing contacts by id.

use super::client::{Client, Params, id};
use crate::{
    auth::random,
    integrations::registrars::{Contact, RegistrarError},
};

/// The address and phone fields customers and contacts share.
fn details(c: &Contact) -> Result<Params, RegistrarError> {
    let (cc, phone) = c.phone_parts()?;
    let mut p: Params = vec![
        ("name", c.name.clone()),
        // Both calls want a company; a person's own name stands in.
        ("company", c.org.clone().unwrap_or_else(|| c.name.clone())),
        ("email", c.email.clone()),
        ("city", c.city.clone()),
        // "Not Applicable" is the API's word for a country without states.
        (
            "state",
            c.state.clone().unwrap_or_else(|| "Not Applicable".into()),
        ),
        ("country", c.country.to_ascii_uppercase()),
        ("zipcode", c.postcode.clone().unwrap_or_default()),
        ("phone-cc", cc.to_string()),
        ("phone", phone.to_string()),
    ];
    let keys = ["address-line-1", "address-line-2", "address-line-3"];
    p.extend(keys.into_iter().zip(c.street.iter().cloned()));
    Ok(p)
}

fn answered_id(v: &serde_json::Value, what: &str) -> Result<String, RegistrarError> {
    id(v).ok_or_else(|| RegistrarError::Transient(format!("LogicBoxes gave no {what} id")))
}

/// The customer whose username is the contact's email, made if missing.
pub async fn customer(api: &Client<'_>, c: &Contact) -> Result<String, RegistrarError> {
    let found = api
        .get(
            "customers/details.json",
            vec![("username", c.email.clone())],
        )
        .await;
    match found {
        Ok(v) => answered_id(&v["customerid"], "customer"),
        // "No such customer" is a refusal; an outage must not make a
        // second customer, so only a refusal leads to creating one.
        Err(RegistrarError::Refused { .. }) => {
            let mut p = details(c)?;
            p.retain(|(k, _)| *k != "email");
            p.push(("username", c.email.clone()));
            // The customer never logs in at LogicBoxes; till is their panel.
            p.push(("passwd", format!("{}9a!", random::password())));
            p.push(("lang-pref", "en".into()));
            let v = api.post("customers/add.json", p).await?;
            answered_id(&v, "customer")
        }
        Err(e) => Err(e),
    }
}

/// LogicBoxes' numbered contact attribute names, as many as a TLD may
/// have registrant fields (`domain::registrant_fields::MAX_FIELDS`).
const ATTR_NAMES: [&str; 20] = [
    "attr-name1",
    "attr-name2",
    "attr-name3",
    "attr-name4",
    "attr-name5",
    "attr-name6",
    "attr-name7",
    "attr-name8",
    "attr-name9",
    "attr-name10",
    "attr-name11",
    "attr-name12",
    "attr-name13",
    "attr-name14",
    "attr-name15",
    "attr-name16",
    "attr-name17",
    "attr-name18",
    "attr-name19",
    "attr-name20",
];
const ATTR_VALUES: [&str; 20] = [
    "attr-value1",
    "attr-value2",
    "attr-value3",
    "attr-value4",
    "attr-value5",
    "attr-value6",
    "attr-value7",
    "attr-value8",
    "attr-value9",
    "attr-value10",
    "attr-value11",
    "attr-value12",
    "attr-value13",
    "attr-value14",
    "attr-value15",
    "attr-value16",
    "attr-value17",
    "attr-value18",
    "attr-value19",
    "attr-value20",
];

/// A contact's registrant fields as LogicBoxes' numbered contact
/// attributes: `attr-name1=us_nexus`, `attr-value1=C11`, ... (staff name
/// each TLD's fields with the keys LogicBoxes expects).
fn attributes(c: &Contact) -> Params {
    c.extra
        .iter()
        .zip(ATTR_NAMES.iter().zip(ATTR_VALUES.iter()))
        .flat_map(|((k, v), (name, value))| [(*name, k.clone()), (*value, v.clone())])
        .collect()
}

/// A new contact of `customer` with `c`'s details and registrant fields.
pub async fn add_contact(
    api: &Client<'_>,
    customer: &str,
    c: &Contact,
) -> Result<String, RegistrarError> {
    let mut p = details(c)?;
    p.push(("customer-id", customer.to_string()));
    p.push(("type", "Contact".into()));
    p.extend(attributes(c));
    let v = api.post("contacts/add.json", p).await?;
    answered_id(&v, "contact")
}

/// The four contact roles of an order, all `contact`.
pub fn roles(contact: &str) -> Params {
    [
        "reg-contact-id",
        "admin-contact-id",
        "tech-contact-id",
        "billing-contact-id",
    ]
    .into_iter()
    .map(|k| (k, contact.to_string()))
    .collect()
}
