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

/// A new contact of `customer` with `c`'s details.
pub async fn add_contact(
    api: &Client<'_>,
    customer: &str,
    c: &Contact,
) -> Result<String, RegistrarError> {
    let mut p = details(c)?;
    p.push(("customer-id", customer.to_string()));
    p.push(("type", "Contact".into()));
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
