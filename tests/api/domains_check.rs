//! Domain availability (issue 14): `POST /api/v1/domains/check` and
//! `/domains/bulk-check` in reference 000's `DomainAvailability` shape,
//! asked of a local fake RDAP server (RFC 9082/9083) or a local port-43
//! WHOIS fake; a TLD with neither is the reference's manual fallback. The
//! answer is priced in the caller's currency, reused briefly, and limited
//! per client address.

use std::time::Duration;

use serde_json::{Value, json};
use till::{config::WhoisServerConfig, service::domains::DomainChecker};

use crate::support::{
    Customer, TestApp,
    fakes::{
        FakeServer,
        rdap::{FakeRdap, Misbehave},
        whois::{FakeWhois, NO_MATCH},
    },
    json_with_status, staff_post,
};

/// The sample catalog (.com, .net, .org in USD and EUR) over a fake RDAP.
fn shop(change: impl FnOnce(&mut till::config::Config)) -> (TestApp, FakeRdap) {
    let rdap = FakeRdap::start();
    let base = rdap.base_url.clone();
    let app = TestApp::builder()
        .config(move |c| {
            c.domains.rdap_base_url = base;
            c.domains.lookup_timeout_ms = 500;
            change(c);
        })
        .spawn();
    app.install_catalog();
    (app, rdap)
}

async fn check(app: &TestApp, domain: &str) -> reqwest::Response {
    app.post_json("/api/v1/domains/check", json!({ "domain": domain }))
        .await
}

async fn data(app: &TestApp, domain: &str) -> Value {
    json_with_status(check(app, domain).await, 200).await["data"].clone()
}

async fn bulk(app: &TestApp, names: &[&str]) -> reqwest::Response {
    app.post_json("/api/v1/domains/bulk-check", json!({ "domains": names }))
        .await
}

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// Sell `tld` (USD, one year) through the staff API.
async fn sell(app: &TestApp, tld: &str, manual: bool) {
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let res = staff_post(
        app,
        &key,
        "/api/v1/tlds",
        json!({"tld": tld, "requires_manual_check": manual,
               "prices": [{"currency": "USD", "years": 1, "register": "25.00"}]}),
    )
    .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_name_the_registry_does_not_hold_is_available_with_its_price() {
    let (app, rdap) = shop(|_| {});
    let d = data(&app, "example.com").await;
    assert_eq!(d["domain"], "example.com");
    assert_eq!(d["status"], "available");
    assert_eq!(d["available"], true);
    assert_eq!(d["provisional"], false);
    assert_eq!(d["manual_registration"], false);
    assert_eq!(d["source"], "rdap");
    assert_eq!(d["cached"], false);
    assert_eq!(d["pricing"]["currency"], "USD");
    assert_eq!(d["pricing"]["tld"], ".com");
    assert_eq!(d["pricing"]["years"], 1);
    assert_eq!(d["pricing"]["register"]["formatted"], "$12.99 USD");
    assert_eq!(d["pricing"]["terms"].as_array().unwrap().len(), 3);
    assert_eq!(rdap.calls(), vec!["example.com"]);
}

#[tokio::test]
async fn a_name_the_registry_holds_is_unavailable() {
    let (app, rdap) = shop(|_| {});
    rdap.register("taken.net");
    let res = check(&app, "Taken.NET").await;
    let body = json_with_status(res, 200).await;
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["status"], "unavailable");
    assert_eq!(body["data"]["available"], false);
    assert_eq!(body["data"]["domain"], "taken.net");
}

#[tokio::test]
async fn a_registry_that_rate_limits_us_gives_a_provisional_answer() {
    let (app, rdap) = shop(|_| {});
    rdap.misbehave("busy.com", Misbehave::RateLimited);
    let d = data(&app, "busy.com").await;
    assert_eq!(d["status"], "provisional_available");
    assert!(d["available"].is_null());
    assert_eq!(d["provisional"], true);
    assert_eq!(d["source"], "rdap");
    assert_eq!(d["reason"], "rate_limited");
    // "Could not tell" is not kept: the next check asks again.
    data(&app, "busy.com").await;
    assert_eq!(rdap.calls().len(), 2);
}

#[tokio::test]
async fn a_registry_that_is_down_gives_a_provisional_answer() {
    let (app, rdap) = shop(|_| {});
    rdap.misbehave("down.org", Misbehave::Down);
    let d = data(&app, "down.org").await;
    assert_eq!(d["status"], "provisional_available");
    assert_eq!(d["reason"], "registry_status_503");
}

#[tokio::test]
async fn an_unreachable_registry_gives_a_provisional_answer_that_names_no_server() {
    // TestApp's own default: a port nothing listens on.
    let app = TestApp::with_catalog();
    let res = check(&app, "nowhere.com").await;
    let text = res.text().await.unwrap();
    let d: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(d["data"]["status"], "provisional_available");
    assert_eq!(d["data"]["reason"], "unreachable");
    assert!(!text.contains("127.0.0.1"), "{text}");
}

#[tokio::test]
async fn a_registry_slower_than_the_timeout_gives_a_provisional_answer() {
    let (app, rdap) = shop(|c| c.domains.lookup_timeout_ms = 300);
    rdap.misbehave("slow.com", Misbehave::Hang(Duration::from_secs(3)));
    let started = std::time::Instant::now();
    let d = data(&app, "slow.com").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(d["status"], "provisional_available");
    assert_eq!(d["reason"], "timeout");
    assert!(d["pricing"].is_object());
}

#[tokio::test]
async fn a_tld_with_no_rdap_and_no_whois_is_the_manual_fallback() {
    // The built-in bootstrap decides (it has no RDAP for .gh).
    let (app, rdap) = shop(|c| c.domains.rdap_base_url = String::new());
    sell(&app, ".com.gh", true).await;
    let d = data(&app, "example.com.gh").await;
    assert_eq!(d["domain"], "example.com.gh");
    assert_eq!(d["tld"], ".com.gh");
    assert_eq!(d["status"], "provisional_available");
    assert!(d["available"].is_null());
    assert_eq!(d["manual_registration"], true);
    assert_eq!(d["provisional"], true);
    assert_eq!(d["source"], "manual_fallback");
    assert_eq!(d["pricing"]["register"]["formatted"], "$25.00 USD");
    assert!(rdap.calls().is_empty());
}

#[tokio::test]
async fn whois_answers_for_a_tld_without_rdap_both_ways() {
    let whois = FakeWhois::start();
    whois.register("held.com.gh");
    let server = whois.server.clone();
    let (app, _rdap) = shop(move |c| {
        c.domains.rdap_base_url = String::new();
        c.domains.whois_servers.insert(
            "com.gh".into(),
            WhoisServerConfig {
                server,
                available_pattern: NO_MATCH.to_lowercase(),
            },
        );
    });
    sell(&app, ".com.gh", false).await;
    let free = data(&app, "free.com.gh").await;
    assert_eq!(free["status"], "available");
    assert_eq!(free["source"], "whois");
    assert_eq!(free["manual_registration"], false);
    let held = data(&app, "held.com.gh").await;
    assert_eq!(held["status"], "unavailable");
    assert_eq!(held["source"], "whois");
    assert_eq!(whois.queries(), vec!["free.com.gh", "held.com.gh"]);
}

#[tokio::test]
async fn a_whois_server_that_says_nothing_in_time_gives_a_provisional_answer() {
    let whois = FakeWhois::start();
    whois.go_silent(Duration::from_secs(3));
    let server = whois.server.clone();
    let (app, _rdap) = shop(move |c| {
        c.domains.rdap_base_url = String::new();
        c.domains.lookup_timeout_ms = 300;
        c.domains.whois_servers.insert(
            "gh".into(),
            WhoisServerConfig {
                server,
                available_pattern: NO_MATCH.into(),
            },
        );
    });
    sell(&app, ".gh", false).await;
    let started = std::time::Instant::now();
    let d = data(&app, "quiet.gh").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(d["status"], "provisional_available");
    assert_eq!(d["source"], "whois");
    assert_eq!(d["reason"], "timeout");
    assert_eq!(whois.queries(), vec!["quiet.gh"]);
}

#[tokio::test]
async fn an_idn_is_accepted_in_unicode_and_in_punycode_and_shown_in_both() {
    let (app, rdap) = shop(|_| {});
    rdap.register("xn--bcher-kva.com");
    for given in ["Bücher.com", "xn--bcher-kva.com"] {
        let d = data(&app, given).await;
        assert_eq!(d["domain"], "bücher.com", "{given}");
        assert_eq!(d["domain_ascii"], "xn--bcher-kva.com", "{given}");
        assert_eq!(d["status"], "unavailable", "{given}");
    }
    // The registry is asked in punycode.
    assert_eq!(rdap.calls(), vec!["xn--bcher-kva.com"]);
}

#[tokio::test]
async fn invalid_labels_unknown_and_unsold_tlds_are_422_naming_the_field() {
    let (app, rdap) = shop(|_| {});
    for (bad, says) in [
        ("-bad.com", "not a valid label"),
        ("under_score.com", "not a valid label"),
        ("https://example.com", "domain name such as"),
        ("www.example.com", "one name before its ending"),
        ("example", "domain ending"),
        ("example.notarealtld", "not a domain ending we know or sell"),
        ("example.uk", "we do not sell .uk domains"),
        ("", "is required"),
    ] {
        let body = json_with_status(check(&app, bad).await, 422).await;
        assert_eq!(fields(&body), vec!["domain"], "{bad}");
        let message = body["errors"]["domain"][0].as_str().unwrap();
        assert!(message.contains(says), "{bad}: {message}");
        assert_eq!(body["code"], "validation_failed", "{bad}");
    }
    assert!(rdap.calls().is_empty());
}

#[tokio::test]
async fn a_retired_tld_is_not_sold() {
    let (app, _rdap) = shop(|_| {});
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let res = crate::support::staff_send(&app, "DELETE", "/api/v1/tlds/.org", &key, None).await;
    assert!(res.status().is_success());
    let body = json_with_status(check(&app, "example.org").await, 422).await;
    assert!(
        body["errors"]["domain"][0]
            .as_str()
            .unwrap()
            .contains("do not sell .org")
    );
}

#[tokio::test]
async fn a_bulk_check_of_none_or_more_than_20_names_is_refused() {
    let (app, rdap) = shop(|_| {});
    let many: Vec<String> = (0..21).map(|i| format!("name{i}.com")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let body = json_with_status(bulk(&app, &many).await, 422).await;
    assert_eq!(fields(&body), vec!["domains"]);
    let body = json_with_status(bulk(&app, &[]).await, 422).await;
    assert_eq!(fields(&body), vec!["domains"]);
    assert!(rdap.calls().is_empty());
}

#[tokio::test]
async fn a_bulk_check_names_each_bad_entry_by_its_index_and_checks_none() {
    let (app, rdap) = shop(|_| {});
    let body = json_with_status(bulk(&app, &["ok.com", "bad_.com", "x.uk"]).await, 422).await;
    assert_eq!(fields(&body), vec!["domains.1", "domains.2"]);
    assert!(rdap.calls().is_empty());
}

#[tokio::test]
async fn a_bulk_check_answers_every_name_in_order_a_few_at_a_time() {
    let (app, rdap) = shop(|c| c.domains.bulk_concurrency = 4);
    rdap.delay_every_answer(Duration::from_millis(100));
    rdap.register("name3.net");
    let names: Vec<String> = (0..20).map(|i| format!("name{i}.net")).collect();
    let asked: Vec<&str> = names.iter().map(String::as_str).collect();
    let body = json_with_status(bulk(&app, &asked).await, 200).await;
    assert_eq!(body["success"], true);
    let data = body["data"].as_array().unwrap();
    let got: Vec<&str> = data.iter().map(|d| d["domain"].as_str().unwrap()).collect();
    assert_eq!(got, asked);
    assert_eq!(data[3]["status"], "unavailable");
    assert!(
        data.iter()
            .enumerate()
            .all(|(i, d)| i == 3 || d["status"] == "available")
    );
    assert_eq!(rdap.calls().len(), 20);
    let most = rdap.max_in_flight();
    assert!(
        (2..=4).contains(&most),
        "at most 4 at once, and more than one: {most}"
    );
}

#[tokio::test]
async fn a_name_asked_twice_in_one_bulk_check_is_answered_once() {
    let (app, rdap) = shop(|_| {});
    let body = json_with_status(
        bulk(&app, &["twice.com", "TWICE.com", "once.org"]).await,
        200,
    )
    .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    assert_eq!(rdap.calls().len(), 2);
}

#[tokio::test]
async fn a_repeated_check_comes_from_the_cache_until_it_expires() {
    let (app, rdap) = shop(|c| c.domains.cache_seconds = 300);
    let first = data(&app, "cached.com").await;
    assert_eq!(first["cached"], false);
    app.clock.advance(jiff::SignedDuration::from_secs(120));
    let second = data(&app, "cached.com").await;
    assert_eq!(second["cached"], true);
    assert_eq!(second["checked_at"], first["checked_at"]);
    assert_eq!(rdap.calls().len(), 1);
    app.clock.advance(jiff::SignedDuration::from_secs(200));
    let third = data(&app, "cached.com").await;
    assert_eq!(third["cached"], false);
    assert_eq!(rdap.calls().len(), 2);
}

#[tokio::test]
async fn checks_are_limited_per_address_with_retry_after() {
    let (app, rdap) = shop(|c| c.domains.check_rate_per_minute = 3);
    for i in 0..3 {
        json_with_status(check(&app, &format!("n{i}.com")).await, 200).await;
    }
    let res = check(&app, "n3.com").await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(json_with_status(res, 429).await["code"], "rate_limited");
    // A bulk check counts each of its names.
    assert_eq!(bulk(&app, &["n4.com"]).await.status(), 429);
    assert_eq!(rdap.calls().len(), 3);
    app.clock.advance(jiff::SignedDuration::from_secs(61));
    assert_eq!(
        bulk(&app, &["a.com", "b.com", "c.com", "d.com"])
            .await
            .status(),
        429
    );
}

/// A stand-in for IANA's site serving one file at `/rdap/dns.json`.
fn iana_serving(body: &'static str) -> FakeServer {
    let (listener, _) = crate::support::fakes::listener();
    FakeServer::spawn(listener, move |cfg| {
        cfg.route(
            "/rdap/dns.json",
            actix_web::web::get().to(move || async move {
                actix_web::HttpResponse::Ok()
                    .content_type("application/json")
                    .body(body)
            }),
        );
    })
}

async fn eur_customer(app: &TestApp) -> Customer {
    let email = "euro@example.com";
    let password = "correct horse battery staple";
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": email, "password": password, "first_name": "Eva", "last_name": "Ries",
                   "country": "DE", "city": "Berlin", "address1": "Unter den Linden 1",
                   "postcode": "10117", "phone": "+4930123456", "currency": "EUR"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let token = app.token_in_mail(email, "/verify-email").await;
    json_with_status(
        app.post_json("/api/v1/auth/email/verify", json!({ "token": token }))
            .await,
        200,
    )
    .await;
    app.login(email, password).await
}

#[tokio::test]
async fn a_signed_in_client_sees_prices_in_its_account_currency() {
    let (app, _rdap) = shop(|_| {});
    let eva = eur_customer(&app).await;
    let signed_in = |with_header: bool| {
        let mut req = app
            .http
            .post(app.url("/api/v1/domains/check"))
            .bearer_auth(&eva.access)
            .json(&json!({"domain": "euro.com"}));
        if with_header {
            req = req.header("X-Client-Id", eva.client_id.to_string());
        }
        req.send()
    };
    for with_header in [false, true] {
        let d = json_with_status(signed_in(with_header).await.unwrap(), 200).await["data"].clone();
        assert_eq!(d["pricing"]["currency"], "EUR");
        assert_eq!(d["pricing"]["register"]["amount_minor"], 1199);
    }
    // Anonymously: the shop's default.
    assert_eq!(data(&app, "euro.com").await["pricing"]["currency"], "USD");
    // Naming a client without a token is not a way to read its currency.
    let res = app
        .http
        .post(app.url("/api/v1/domains/check"))
        .header("X-Client-Id", eva.client_id.to_string())
        .json(&json!({"domain": "euro.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_tld_without_a_price_in_the_callers_currency_has_null_pricing() {
    let (app, _rdap) = shop(|_| {});
    sell(&app, ".io", false).await; // USD only
    let eva = eur_customer(&app).await;
    let res = app
        .http
        .post(app.url("/api/v1/domains/check"))
        .bearer_auth(&eva.access)
        .json(&json!({"domain": "euro.io"}))
        .send()
        .await
        .unwrap();
    let d = json_with_status(res, 200).await["data"].clone();
    assert_eq!(d["status"], "available");
    assert!(d["pricing"].is_null());
}

#[tokio::test]
async fn refresh_bootstrap_saves_the_downloaded_file_and_the_newer_one_is_used() {
    let newer = r#"{"description":"RDAP bootstrap file for Domain Name System registrations",
        "publication":"2030-01-01T00:00:00Z","version":"1.0",
        "services":[[["gh"],["https://rdap.nic.gh/"]]]}"#;
    let iana = iana_serving(newer);
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::till_bin()
        .args(["domains", "refresh-bootstrap"])
        .env("TILL_DATA_DIR", dir.path())
        .env(
            "TILL_DOMAINS__BOOTSTRAP_URL",
            format!("{}/rdap/dns.json", iana.url),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2030-01-01T00:00:00Z"), "{stdout}");
    let saved = std::fs::read_to_string(dir.path().join("rdap-dns.json")).unwrap();
    assert_eq!(saved, newer);

    let config = till::config::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    assert_eq!(
        DomainChecker::from_config(&config).bootstrap_publication(),
        "2030-01-01T00:00:00Z"
    );
    // An older download does not hide the built-in copy.
    std::fs::write(
        dir.path().join("rdap-dns.json"),
        r#"{"publication":"2020-01-01T00:00:00Z","services":[]}"#,
    )
    .unwrap();
    assert_eq!(
        DomainChecker::from_config(&config).bootstrap_publication(),
        "2026-07-23T02:00:03Z"
    );
}

#[tokio::test]
async fn refresh_bootstrap_refuses_what_is_not_a_bootstrap_and_keeps_the_old_file() {
    let iana = iana_serving(r#"{"hello":"world"}"#);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rdap-dns.json"), "kept").unwrap();
    let out = crate::support::till_bin()
        .args(["domains", "refresh-bootstrap"])
        .env("TILL_DATA_DIR", dir.path())
        .env(
            "TILL_DOMAINS__BOOTSTRAP_URL",
            format!("{}/rdap/dns.json", iana.url),
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an RDAP bootstrap"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rdap-dns.json")).unwrap(),
        "kept"
    );
}

#[tokio::test]
async fn the_limit_is_per_address_and_an_ipv6_client_is_its_slash_64() {
    let (app, _rdap) = shop(|c| {
        c.domains.check_rate_per_minute = 1;
        c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    });
    let from = |ip: &'static str, name: &'static str| {
        app.http
            .post(app.url("/api/v1/domains/check"))
            .header("X-Forwarded-For", ip)
            .json(&json!({ "domain": name }))
            .send()
    };
    assert_eq!(
        from("2001:db8:1:2::1", "a.com").await.unwrap().status(),
        200
    );
    // The same /64: the same budget.
    assert_eq!(
        from("2001:db8:1:2::ffff", "b.com").await.unwrap().status(),
        429
    );
    // Another /64 and another IPv4 address have their own.
    assert_eq!(
        from("2001:db8:1:3::1", "c.com").await.unwrap().status(),
        200
    );
    assert_eq!(from("203.0.113.7", "d.com").await.unwrap().status(), 200);
}
