//! Reading LogicBoxes' answers: an order's details (`details-by-name`,
//! `details`) as a `DomainInfo`, and what an action's `actionstatus`
//! means.

use jiff::Timestamp;
use serde_json::Value;

use super::client::id;
use crate::integrations::registrars::{DomainInfo, Outcome, Pending, RegistrarError};

/// An order as `details-by-name.json?options=All` gives it.
pub struct Order {
    pub id: String,
    pub customer: Option<String>,
    pub expiry: Option<Timestamp>,
    pub info: DomainInfo,
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Value::String(s) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn flag(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// `endtime`: seconds since the epoch, as a string.
fn timestamp(v: &Value) -> Option<Timestamp> {
    id(v)
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| Timestamp::from_second(secs).ok())
}

pub fn order(name: &str, v: &Value) -> Result<Order, RegistrarError> {
    let order_id = id(&v["orderid"]).ok_or_else(|| {
        RegistrarError::Transient("LogicBoxes gave an order without its orderid".into())
    })?;
    // Nameservers come as ns1, ns2, ... up to noOfNameServers.
    let nameservers = (1..=13)
        .filter_map(|n| v[format!("ns{n}")].as_str())
        .map(str::to_ascii_lowercase)
        .collect();
    let order_status = strings(&v["orderstatus"]);
    let locked = order_status.iter().any(|s| s == "transferlock");
    let statuses = strings(&v["currentstatus"])
        .into_iter()
        .chain(order_status)
        .chain(strings(&v["domainstatus"]))
        .collect();
    let expiry = timestamp(&v["endtime"]);
    Ok(Order {
        id: order_id,
        customer: id(&v["customerid"]),
        expiry,
        info: DomainInfo {
            name: v["domainname"]
                .as_str()
                .unwrap_or(name)
                .to_ascii_lowercase(),
            expiry,
            statuses,
            nameservers,
            locked,
            id_protection: flag(&v["isprivacyprotected"]),
        },
    })
}

/// What an action (register, transfer, renew, ...) came to. `Success`
/// is done; `Failed` is a refusal; anything else (an order waiting for
/// funds or for the registry) is pending.
pub fn action(v: &Value) -> Result<Option<Pending>, RegistrarError> {
    let status = v["actionstatus"]
        .as_str()
        .or_else(|| v["status"].as_str())
        .unwrap_or_default();
    let words = v["actionstatusdesc"]
        .as_str()
        .or_else(|| v["actiontypedesc"].as_str())
        .unwrap_or(status);
    match status {
        s if s.eq_ignore_ascii_case("success") => Ok(None),
        s if s.eq_ignore_ascii_case("failed") => Err(RegistrarError::refused("Failed", words)),
        "" => Err(RegistrarError::Transient(
            "LogicBoxes gave an action without its status".into(),
        )),
        _ => Ok(Some(Pending::Registry(format!("{status}: {words}")))),
    }
}

/// A change that is done at once or waits.
pub fn changed(v: &Value) -> Result<Outcome, RegistrarError> {
    Ok(match action(v)? {
        None => Outcome::Done { expiry: None },
        Some(p) => Outcome::Pending(p),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_order_reads_its_expiry_nameservers_lock_and_privacy() {
        let o = order(
            "example.com",
            &json!({
                "orderid": "562994", "domainname": "example.com", "customerid": 17,
                "endtime": "1830297600", "ns1": "NS1.Example.net", "ns2": "ns2.example.net",
                "noOfNameServers": "2", "currentstatus": "Active",
                "orderstatus": ["transferlock"], "domainstatus": ["sixtydaylock"],
                "isprivacyprotected": "true"
            }),
        )
        .unwrap();
        assert_eq!(
            (o.id.as_str(), o.customer.as_deref()),
            ("562994", Some("17"))
        );
        assert_eq!(o.expiry, Some(Timestamp::from_second(1830297600).unwrap()));
        assert_eq!(o.info.nameservers, ["ns1.example.net", "ns2.example.net"]);
        assert_eq!(o.info.statuses, ["Active", "transferlock", "sixtydaylock"]);
        assert!(o.info.locked);
        assert_eq!(o.info.id_protection, Some(true));
    }

    #[test]
    fn actions_are_done_refused_or_pending() {
        assert_eq!(action(&json!({"actionstatus": "Success"})).unwrap(), None);
        let failed = action(&json!({"actionstatus": "Failed", "actionstatusdesc": "No funds"}));
        assert!(
            matches!(failed, Err(RegistrarError::Refused { message, .. }) if message == "No funds")
        );
        assert!(matches!(
            action(&json!({"actionstatus": "PendingExecution"})),
            Ok(Some(Pending::Registry(_)))
        ));
        assert!(action(&json!({})).unwrap_err().retryable());
    }
}
