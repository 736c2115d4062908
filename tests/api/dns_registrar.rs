//! Reference 000's `/dns` of a domain whose registrar hosts its zone
//! (LogicBoxes with `dns_hosting`): a replace reaches the registrar's own
//! record calls, as a difference from what it holds (a record that stays
//! is not touched), the answer is till's copy, a type the registrar does
//! not keep is a 422 before it is asked, and a registrar that is down is
//! a 503 with nothing changed. No PowerDNS is involved.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, fakes::FakeLogicBoxes, json_with_status, money};

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Value,
) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A `.net` domain at the LogicBoxes fake, its DNS hosted there; answers
/// the customer (logged in) and the domain's id.
async fn hosted_domain(app: &TestApp, fake: &FakeLogicBoxes) -> (Customer, i64) {
    let key = app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
    ]);
    let created = json_with_status(
        send(
            app,
            "POST",
            "/api/v1/registrars",
            &key,
            json!({"name": "LB with DNS", "module": "logicboxes", "settings": {
                "base_url": fake.url, "auth_userid": "77", "api_key": "lb-dns-KEY",
                "timeout_secs": 5, "dns_hosting": true}}),
        )
        .await,
        201,
    )
    .await;
    let id = created["data"]["id"].as_i64().unwrap();
    json_with_status(
        send(
            app,
            "PUT",
            "/api/v1/tld-registrars/net",
            &key,
            json!({"registrar_id": id}),
        )
        .await,
        200,
    )
    .await;
    let c = app.customer("registrar-dns@example.com").await;
    let placed = app
        .place_order(
            &c,
            "registrar-dns",
            json!({"items": [{"type": "domain", "domain": "hosted-at-lb.net", "domain_option": "register", "years": 1}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&key, invoice, &money(total), "T-dns")
            .await
            .status(),
        200
    );
    let domains = json_with_status(app.get_auth("/api/v1/domains", &key).await, 200).await;
    let domain = domains["data"][0]["id"].as_i64().unwrap();
    // The order's nameservers: the registrar's own.
    app.state
        .db
        .write(|tx| {
            Ok(tx.execute(
                "UPDATE domains SET nameservers = '[\"ns1.lb.example\",\"ns2.lb.example\"]'",
                [],
            )?)
        })
        .unwrap();
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
    (c, domain)
}

/// What the fake's zone holds: (type, host, value) sorted.
fn held(fake: &FakeLogicBoxes) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = fake
        .calls()
        .iter()
        .filter(|c| {
            c.path.starts_with("dns/manage/add-") || c.path.starts_with("dns/manage/delete-")
        })
        .fold(Vec::<(String, String, String)>::new(), |mut zone, c| {
            let kind = c.path.split('-').nth(1).unwrap().to_string();
            let r = (
                kind,
                c.param("host").unwrap_or_default().to_string(),
                c.param("value").unwrap_or_default().to_string(),
            );
            if c.path.starts_with("dns/manage/add-") {
                zone.push(r);
            } else {
                zone.retain(|x| *x != r);
            }
            zone
        });
    out.sort();
    out
}

fn rec(kind: &str, host: &str, value: &str) -> (String, String, String) {
    (kind.into(), host.into(), value.into())
}

#[tokio::test]
async fn a_replace_reaches_the_registrars_dns_as_a_difference_and_reads_back() {
    let app = TestApp::with_catalog();
    let fake = FakeLogicBoxes::start("77", "lb-dns-KEY");
    let (c, domain) = hosted_domain(&app, &fake).await;
    let c = app.login(&c.email, &c.password).await;
    let path = format!("/api/v1/clients/{}/domains/{domain}/dns", c.client_id);

    let first = json!({"records": [
        {"type": "A", "name": "@", "value": "192.0.2.30", "ttl": 3600},
        {"type": "MX", "name": "@", "value": "10 mx.hosted-at-lb.net"},
        {"type": "TXT", "name": "_dmarc", "value": "v=DMARC1; p=none"},
        {"type": "CNAME", "name": "www", "value": "hosted-at-lb.net"}
    ]});
    let put = json_with_status(send(&app, "PUT", &path, &c.access, first).await, 200).await;
    assert_eq!(put["message"], "DNS records updated successfully.");
    let got = json_with_status(app.get_auth(&path, &c.access).await, 200).await;
    assert_eq!(got["data"]["records"].as_array().unwrap().len(), 4, "{got}");
    assert_eq!(
        held(&fake),
        vec![
            rec("cname", "www", "hosted-at-lb.net"),
            rec("ipv4", "", "192.0.2.30"),
            rec("mx", "", "mx.hosted-at-lb.net"),
            rec("txt", "_dmarc", "v=DMARC1; p=none"),
        ]
    );
    let mx = fake.calls_to("dns/manage/add-mx-record.json");
    assert_eq!(mx[0].param("priority"), Some("10"));
    assert_eq!(mx[0].param("domain-name"), Some("hosted-at-lb.net"));

    // The A record changes, the MX goes, the rest stays untouched.
    let calls_before = fake.calls().len();
    let second = json!({"records": [
        {"type": "A", "name": "@", "value": "192.0.2.31", "ttl": 3600},
        {"type": "TXT", "name": "_dmarc", "value": "v=DMARC1; p=none"},
        {"type": "CNAME", "name": "www", "value": "hosted-at-lb.net"}
    ]});
    json_with_status(send(&app, "PUT", &path, &c.access, second).await, 200).await;
    assert_eq!(
        held(&fake),
        vec![
            rec("cname", "www", "hosted-at-lb.net"),
            rec("ipv4", "", "192.0.2.31"),
            rec("txt", "_dmarc", "v=DMARC1; p=none"),
        ]
    );
    let changed: Vec<String> = fake.calls()[calls_before..]
        .iter()
        .filter(|c| !c.path.contains("search"))
        .map(|c| c.path.clone())
        .collect();
    assert_eq!(changed.len(), 3, "{changed:?}");
    let got = json_with_status(app.get_auth(&path, &c.access).await, 200).await;
    assert_eq!(got["data"]["records"].as_array().unwrap().len(), 3);

    // SRV is not kept at LogicBoxes: a 422 on the record, nothing sent.
    let calls_before = fake.calls().len();
    let srv = json!({"records": [
        {"type": "A", "name": "@", "value": "192.0.2.31"},
        {"type": "SRV", "name": "_sip._tcp", "value": "10 5 5060 sip.hosted-at-lb.net"}
    ]});
    let res = send(&app, "PUT", &path, &c.access, srv).await;
    let body = json_with_status(res, 422).await;
    assert!(body["errors"]["records.1.type"].is_array(), "{body}");
    assert_eq!(fake.calls().len(), calls_before);

    // The registrar down: a 503, and the zone as it was.
    fake.set_outage(true);
    let res = send(
        &app,
        "PUT",
        &path,
        &c.access,
        json!({"records": [{"type": "A", "name": "@", "value": "192.0.2.99"}]}),
    )
    .await;
    assert_eq!(res.status(), 503);
    fake.set_outage(false);
    let got = json_with_status(app.get_auth(&path, &c.access).await, 200).await;
    assert_eq!(got["data"]["records"].as_array().unwrap().len(), 3);
    assert_eq!(held(&fake).len(), 3);
}
