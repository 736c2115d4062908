//! DNS hosting against a real PowerDNS: zones and records made through
//! till and resolved with real DNS queries; a replace that is all or
//! nothing; the default zone of a hosting service that goes live (and a
//! DNS outage that never holds it up); staff views; and every client zone
//! route answering 404 for another client's zone, record, service and
//! domain.

use serde_json::{Value, json};

use crate::support::{
    Customer, TestApp, call, hosting::Hosting, json_with_status, ok, powerdns::powerdns,
};

/// The sample catalog on an app whose `[dns]` points at the test PowerDNS.
fn dns_app() -> Option<TestApp> {
    let pdns = powerdns()?;
    let app = TestApp::builder().config(|c| pdns.configure(c)).spawn();
    app.install_catalog();
    Some(app)
}

/// A paid `starter` service (manual module, live at once) for `domain`,
/// with a registration of `domain` on the same order; answers the service id.
async fn live_service(app: &TestApp, c: &Customer, domain: &str) -> i64 {
    let placed = app
        .place_order(
            c,
            &format!("dns-{domain}"),
            json!({"items": [
                {"package_id": "starter", "billing_cycle": "monthly", "domain": domain, "domain_option": "existing"},
                {"type": "domain", "domain": domain, "domain_option": "register", "years": 1}
            ]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let minor = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    let staff = app.staff_key(&["billing:write"]);
    let amount = format!("{}.{:02}", minor / 100, minor % 100);
    let res = app
        .staff_pay(&staff, invoice, &amount, &format!("T-{domain}"))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    placed["pending_services"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The customer's only zone once it is made (or failed): a default zone is
/// made by the provisioning worker right after the service went live, so
/// it may still be `pending` when the task is recorded.
async fn settled_zone(app: &TestApp, c: &Customer) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let zones = json_with_status(call(app, c, "GET", "/dns", None).await, 200).await;
        let zone = zones["data"][0].clone();
        if zone.is_object() && zone["status"] != "pending" {
            return zone;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the zone never settled: {zones}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn create_zone(app: &TestApp, c: &Customer, service: i64, name: &str) -> Value {
    let res = call(
        app,
        c,
        "POST",
        &format!("/services/{service}/dns"),
        Some(json!({"name": name})),
    )
    .await;
    json_with_status(res, 201).await["data"].clone()
}

async fn add(app: &TestApp, c: &Customer, zone: i64, record: Value) -> Value {
    let res = call(
        app,
        c,
        "POST",
        &format!("/dns/{zone}/records"),
        Some(record),
    )
    .await;
    json_with_status(res, 201).await["data"].clone()
}

#[tokio::test]
async fn records_made_through_till_resolve_on_the_real_server() {
    let Some(app) = dns_app() else { return };
    let pdns = powerdns().unwrap();
    let c = app.customer("dns-records@example.com").await;
    let service = live_service(&app, &c, "records-zone.com").await;
    let zone = create_zone(&app, &c, service, "records-zone.com").await;
    assert_eq!(zone["status"], "active");
    let id = zone["id"].as_i64().unwrap();
    assert_eq!(
        pdns.resolve("records-zone.com", "NS"),
        vec!["ns1.till-test.net.", "ns2.till-test.net."]
    );

    let a = add(
        &app,
        &c,
        id,
        json!({"type": "A", "name": "@", "value": "192.0.2.10", "ttl": 600}),
    )
    .await;
    assert_eq!(a["name"], "@");
    assert_eq!(a["fqdn"], "records-zone.com.");
    add(
        &app,
        &c,
        id,
        json!({"type": "MX", "name": "@", "value": "mail.records-zone.com", "priority": 10}),
    )
    .await;
    add(
        &app,
        &c,
        id,
        json!({"type": "TXT", "name": "@", "value": "v=spf1 mx -all"}),
    )
    .await;
    add(
        &app,
        &c,
        id,
        json!({"type": "CNAME", "name": "www", "value": "records-zone.com"}),
    )
    .await;

    assert_eq!(pdns.resolve("records-zone.com", "A"), vec!["192.0.2.10"]);
    assert_eq!(
        pdns.resolve("records-zone.com", "MX"),
        vec!["10 mail.records-zone.com."]
    );
    assert_eq!(
        pdns.resolve("records-zone.com", "TXT"),
        vec!["\"v=spf1 mx -all\""]
    );
    assert_eq!(
        pdns.resolve("www.records-zone.com", "CNAME"),
        vec!["records-zone.com."]
    );

    // Edit and delete one record.
    let rid = a["id"].as_i64().unwrap();
    let res = call(
        &app,
        &c,
        "PUT",
        &format!("/dns/{id}/records/{rid}"),
        Some(json!({"type": "A", "name": "@", "value": "192.0.2.11", "ttl": 600})),
    )
    .await;
    assert_eq!(json_with_status(res, 200).await["data"]["id"], rid);
    assert_eq!(pdns.resolve("records-zone.com", "A"), vec!["192.0.2.11"]);
    let res = call(
        &app,
        &c,
        "DELETE",
        &format!("/dns/{id}/records/{rid}"),
        None,
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(pdns.resolve("records-zone.com", "A").is_empty());

    // The zone is gone from the server with its deletion.
    let res = call(&app, &c, "DELETE", &format!("/dns/{id}"), None).await;
    assert_eq!(res.status(), 200);
    assert!(pdns.resolve("records-zone.com", "NS").is_empty());
    let res = call(&app, &c, "GET", &format!("/dns/{id}"), None).await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_record_the_zone_refuses_is_a_422_naming_its_field_and_changes_nothing() {
    let Some(app) = dns_app() else { return };
    let pdns = powerdns().unwrap();
    let c = app.customer("dns-refused@example.com").await;
    let service = live_service(&app, &c, "refused-zone.com").await;
    let id = create_zone(&app, &c, service, "refused-zone.com").await["id"]
        .as_i64()
        .unwrap();
    add(
        &app,
        &c,
        id,
        json!({"type": "CNAME", "name": "www", "value": "refused-zone.com"}),
    )
    .await;

    for (record, field) in [
        (
            json!({"type": "A", "name": "www.other.org.", "value": "192.0.2.1"}),
            "name",
        ),
        (
            json!({"type": "A", "name": "www", "value": "192.0.2.1"}),
            "name",
        ),
        (
            json!({"type": "A", "name": "a", "value": "192.0.2.1", "ttl": 5}),
            "ttl",
        ),
        (
            json!({"type": "MX", "name": "@", "value": "mx.example.net"}),
            "priority",
        ),
        (
            json!({"type": "TXT", "name": "@", "value": "\"unclosed"}),
            "value",
        ),
        (json!({"type": "PTR", "name": "x", "value": "y"}), "type"),
    ] {
        let res = call(
            &app,
            &c,
            "POST",
            &format!("/dns/{id}/records"),
            Some(record.clone()),
        )
        .await;
        let body = json_with_status(res, 422).await;
        assert!(body["errors"][field].is_array(), "{record} -> {body}");
    }
    let zone = json_with_status(
        call(&app, &c, "GET", &format!("/dns/{id}"), None).await,
        200,
    )
    .await;
    assert_eq!(zone["data"]["records"].as_array().unwrap().len(), 3);
    assert!(pdns.resolve("a.refused-zone.com", "A").is_empty());
}

#[tokio::test]
async fn a_replace_of_a_domains_records_is_all_or_nothing() {
    let Some(app) = dns_app() else { return };
    let pdns = powerdns().unwrap();
    let c = app.customer("dns-replace@example.com").await;
    live_service(&app, &c, "replace-zone.com").await;
    // The order's domain registration is the app's first domain.
    let res = call(&app, &c, "GET", "/domains/1/dns", None).await;
    let before = json_with_status(res, 200).await;
    assert_eq!(before["data"]["domain"], "replace-zone.com");
    assert!(before["data"]["records"].as_array().unwrap().is_empty());

    let first = json!({"records": [
        {"type": "NS", "name": "@", "value": "ns1.till-test.net"},
        {"type": "A", "name": "@", "value": "192.0.2.20", "ttl": 3600},
        {"type": "MX", "name": "@", "value": "10 mx.replace-zone.com"},
        {"type": "TXT", "name": "_dmarc", "value": "v=DMARC1; p=none"}
    ]});
    let res = call(&app, &c, "PUT", "/domains/1/dns", Some(first)).await;
    assert_eq!(
        json_with_status(res, 200).await["message"],
        "DNS records updated successfully."
    );
    assert_eq!(pdns.resolve("replace-zone.com", "A"), vec!["192.0.2.20"]);
    assert_eq!(
        pdns.resolve("replace-zone.com", "MX"),
        vec!["10 mx.replace-zone.com."]
    );
    assert_eq!(
        pdns.resolve("_dmarc.replace-zone.com", "TXT"),
        vec!["\"v=DMARC1; p=none\""]
    );

    // One bad record among good ones: a 422 naming it, and nothing moves.
    let second = json!({"records": [
        {"type": "A", "name": "@", "value": "192.0.2.21"},
        {"type": "A", "name": "www", "value": "not-an-address"},
        {"type": "CNAME", "name": "@", "value": "elsewhere.example.net"}
    ]});
    let res = call(&app, &c, "PUT", "/domains/1/dns", Some(second)).await;
    let body = json_with_status(res, 422).await;
    assert!(body["errors"]["records.1.value"].is_array(), "{body}");
    assert!(body["errors"]["records.2.name"].is_array(), "{body}");
    assert_eq!(pdns.resolve("replace-zone.com", "A"), vec!["192.0.2.20"]);
    let after = json_with_status(call(&app, &c, "GET", "/domains/1/dns", None).await, 200).await;
    assert_eq!(after["data"]["records"].as_array().unwrap().len(), 4);

    // Without its records a replace is refused, not an emptied zone.
    let res = call(&app, &c, "PUT", "/domains/1/dns", Some(json!({}))).await;
    assert!(json_with_status(res, 422).await["errors"]["records"].is_array());
    assert_eq!(pdns.resolve("replace-zone.com", "A"), vec!["192.0.2.20"]);

    // A good replace takes the old records away.
    let third = json!({"records": [
        {"type": "NS", "name": "@", "value": "ns1.till-test.net"},
        {"type": "A", "name": "www", "value": "192.0.2.22"}
    ]});
    let res = call(&app, &c, "PUT", "/domains/1/dns", Some(third)).await;
    assert_eq!(res.status(), 200);
    assert!(pdns.resolve("replace-zone.com", "A").is_empty());
    assert!(pdns.resolve("replace-zone.com", "MX").is_empty());
    assert_eq!(
        pdns.resolve("www.replace-zone.com", "A"),
        vec!["192.0.2.22"]
    );
}

#[tokio::test]
async fn a_hosting_service_going_live_gets_its_default_zone() {
    let Some(pdns) = powerdns() else { return };
    let h = Hosting::start_with(|c| pdns.configure(c)).await;
    let c = h.app.customer("dns-default@example.com").await;
    let service = h.buy(&c, &h.cpanel, "default-zone.com").await;
    assert_eq!(h.status(service).await, "active");

    let zone = settled_zone(&h.app, &c).await;
    assert_eq!(zone["name"], "default-zone.com");
    assert_eq!(zone["service_id"], service);
    assert_eq!(zone["status"], "active");
    // The fake WHM's server is at 127.0.0.1.
    assert_eq!(pdns.resolve("default-zone.com", "A"), vec!["127.0.0.1"]);
    assert_eq!(pdns.resolve("www.default-zone.com", "A"), vec!["127.0.0.1"]);
    assert_eq!(
        pdns.resolve("default-zone.com", "NS"),
        vec!["ns1.till-test.net.", "ns2.till-test.net."]
    );
    // One zone per service.
    let res = call(
        &h.app,
        &c,
        "POST",
        &format!("/services/{service}/dns"),
        Some(json!({})),
    )
    .await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn a_dns_outage_never_holds_up_activation_and_staff_see_the_failed_zone() {
    let h = Hosting::start_with(|c| {
        c.dns.powerdns_url = "http://127.0.0.1:9".into();
        c.dns.powerdns_api_key = till::config::Secret::new("k");
        c.dns.nameservers = vec!["ns1.till-test.net".into()];
        c.dns.timeout_secs = 2;
    })
    .await;
    let c = h.app.customer("dns-outage@example.com").await;
    let service = h.buy(&c, &h.cpanel, "outage-zone.com").await;
    assert_eq!(h.status(service).await, "active");
    assert_eq!(settled_zone(&h.app, &c).await["status"], "failed");
    let staff = h.app.staff_key(&["services:read"]);
    let zones = ok(
        &h.app,
        "GET",
        "/api/v1/dns-zones?status=failed",
        &staff,
        None,
        200,
    )
    .await;
    assert_eq!(zones["data"][0]["name"], "outage-zone.com");
    assert!(
        zones["data"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("did not answer")
    );
    // A customer is not shown the machinery's words.
    let mine = json_with_status(call(&h.app, &c, "GET", "/dns", None).await, 200).await;
    assert!(mine["data"][0].get("last_error").is_none());
    let feed = json_with_status(call(&h.app, &c, "GET", "/events", None).await, 200).await;
    assert!(!feed.to_string().contains("dns.zone_failed"), "{feed}");
}

#[tokio::test]
async fn without_powerdns_dns_hosting_answers_503() {
    let app = TestApp::with_catalog();
    let c = app.customer("dns-off@example.com").await;
    let service = live_service(&app, &c, "off-zone.com").await;
    let res = call(
        &app,
        &c,
        "POST",
        &format!("/services/{service}/dns"),
        Some(json!({})),
    )
    .await;
    assert_eq!(res.status(), 503);
    let res = call(
        &app,
        &c,
        "PUT",
        "/domains/1/dns",
        Some(json!({"records": []})),
    )
    .await;
    assert_eq!(res.status(), 503);
}

#[tokio::test]
async fn staff_list_zones_and_replace_a_clients_records() {
    let Some(app) = dns_app() else { return };
    let pdns = powerdns().unwrap();
    let c = app.customer("dns-staff@example.com").await;
    let service = live_service(&app, &c, "staff-zone.com").await;
    let id = create_zone(&app, &c, service, "staff-zone.com").await["id"]
        .as_i64()
        .unwrap();
    let reader = app.staff_key(&["services:read"]);
    let list = ok(
        &app,
        "GET",
        &format!("/api/v1/dns-zones?client_id={}", c.client_id),
        &reader,
        None,
        200,
    )
    .await;
    assert_eq!(list["data"][0]["id"], id);
    assert_eq!(list["meta"]["total"], 1);
    let body = json!({"records": [{"type": "A", "name": "@", "value": "192.0.2.30"}]});
    let res = crate::support::staff_send(
        &app,
        "PUT",
        &format!("/api/v1/dns-zones/{id}/records"),
        &reader,
        Some(body.clone()),
    )
    .await;
    assert_eq!(res.status(), 403);
    let writer = app.staff_key(&["clients:read", "services:read", "services:write"]);
    let zone = ok(
        &app,
        "PUT",
        &format!("/api/v1/dns-zones/{id}/records"),
        &writer,
        Some(body),
        200,
    )
    .await;
    assert_eq!(zone["data"]["records"][0]["value"], "192.0.2.30");
    assert_eq!(pdns.resolve("staff-zone.com", "A"), vec!["192.0.2.30"]);
    let one = ok(
        &app,
        "GET",
        &format!("/api/v1/dns-zones/{id}"),
        &reader,
        None,
        200,
    )
    .await;
    assert_eq!(one["data"]["records"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn another_clients_zone_record_service_and_domain_are_404s() {
    let Some(app) = dns_app() else { return };
    let pdns = powerdns().unwrap();
    let owner = app.customer("dns-owner@example.com").await;
    let service = live_service(&app, &owner, "idor-zone.com").await;
    let zone = create_zone(&app, &owner, service, "idor-zone.com").await["id"]
        .as_i64()
        .unwrap();
    let record = add(
        &app,
        &owner,
        zone,
        json!({"type": "A", "name": "@", "value": "192.0.2.40"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let other = app.customer("dns-intruder@example.com").await;
    let a = json!({"type": "A", "name": "@", "value": "203.0.113.1"});
    let attempts: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", format!("/dns/{zone}"), None),
        ("DELETE", format!("/dns/{zone}"), None),
        ("POST", format!("/dns/{zone}/records"), Some(a.clone())),
        (
            "PUT",
            format!("/dns/{zone}/records/{record}"),
            Some(a.clone()),
        ),
        ("DELETE", format!("/dns/{zone}/records/{record}"), None),
        (
            "POST",
            format!("/services/{service}/dns"),
            Some(json!({"name": "idor-zone.com"})),
        ),
        ("GET", "/domains/1/dns".to_string(), None),
        (
            "PUT",
            "/domains/1/dns".to_string(),
            Some(json!({"records": [a.clone()]})),
        ),
    ];
    for (method, path, body) in attempts {
        let res = call(&app, &other, method, &path, body).await;
        assert_eq!(res.status(), 404, "{method} {path}");
    }
    // Nor through the owner's client id in the path.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/clients/{}/dns/{zone}", owner.client_id)))
        .bearer_auth(&other.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let mine = json_with_status(call(&app, &other, "GET", "/dns", None).await, 200).await;
    assert!(mine["data"].as_array().unwrap().is_empty());
    assert_eq!(pdns.resolve("idor-zone.com", "A"), vec!["192.0.2.40"]);
}

#[tokio::test]
async fn the_powerdns_client_makes_lists_changes_and_deletes_a_zone() {
    use till::integrations::dns::{Change, DnsBackend, DnsError, RecordSet, powerdns::PowerDns};
    let Some(pdns) = powerdns() else { return };
    let mut config = till::config::Config::default();
    pdns.configure(&mut config);
    let d = &config.dns;
    let client = PowerDns::new(&d.powerdns_url, d.powerdns_api_key.expose(), "localhost", 5)
        .expect("client");
    let ns = RecordSet {
        name: "client-zone.com.".into(),
        kind: "NS".into(),
        ttl: 300,
        contents: vec!["ns1.till-test.net.".into()],
    };
    client
        .create_zone("client-zone.com.", std::slice::from_ref(&ns))
        .await
        .expect("made");
    assert!(matches!(
        client.create_zone("client-zone.com.", &[ns]).await,
        Err(DnsError::Exists)
    ));
    let txt = RecordSet {
        name: "client-zone.com.".into(),
        kind: "TXT".into(),
        ttl: 300,
        contents: vec!["\"hello\"".into()],
    };
    client
        .apply("client-zone.com.", &[Change::Replace(txt.clone())])
        .await
        .expect("applied");
    let sets = client
        .list_records("client-zone.com.")
        .await
        .expect("listed");
    assert!(sets.contains(&txt), "{sets:?}");
    assert!(sets.iter().any(|s| s.kind == "SOA"));
    client
        .delete_zone("client-zone.com.")
        .await
        .expect("deleted");
    assert!(matches!(
        client.list_records("client-zone.com.").await,
        Err(DnsError::NotFound)
    ));
    let wrong = PowerDns::new(&d.powerdns_url, "not-the-key", "localhost", 5).expect("client");
    let refused = wrong
        .list_records("client-zone.com.")
        .await
        .expect_err("refused");
    assert!(!refused.to_string().contains("not-the-key"), "{refused}");
    assert!(
        matches!(refused, DnsError::Refused { status: 401, .. }),
        "{refused}"
    );
}
