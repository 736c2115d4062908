//! The generic EPP registrar against a local EPP server over TLS: what it
//! sends for each operation (the request XML as the server received it),
//! what it makes of the answers, and which failures are worth a retry.

use jiff::{Span, Timestamp, tz::TimeZone};
use till::{
    config::Secret,
    integrations::{
        outbound::TargetPolicy,
        registrars::{
            Contact, EppCode, Nameserver, Outcome, Pending, Period, Registrar, RegistrarConfig,
            RegistrarError, Registration, Transfer, registrar_for,
        },
    },
};

use crate::support::fakes::{FakeEpp, epp::Mode};

const USER: &str = "till-reg";
const PASSWORD: &str = "s3cret-EPP";

fn config(fake: &FakeEpp, password: &str) -> RegistrarConfig {
    // The shape the service stores (sealed) and hands back.
    serde_json::from_value(serde_json::json!({
        "module": "epp",
        "host": fake.host,
        "port": fake.port,
        "username": USER,
        "password": password,
        "ca_pem": fake.ca_pem,
        "timeout_secs": 5,
    }))
    .unwrap()
}

fn loopback() -> TargetPolicy {
    TargetPolicy::from_config(&["127.0.0.1".to_string()])
}

fn client(fake: &FakeEpp) -> Box<dyn Registrar> {
    registrar_for(&config(fake, PASSWORD), &loopback()).unwrap()
}

fn contact() -> Contact {
    Contact {
        name: "Ada Lovelace".into(),
        org: Some("Analytical Engines Ltd".into()),
        street: vec!["12 St James's Square".into(), "Floor 2".into()],
        city: "London".into(),
        state: None,
        postcode: Some("SW1Y 4JH".into()),
        country: "gb".into(),
        phone: "+44.2079460000".into(),
        email: "ada@example.org".into(),
        extra: Default::default(),
    }
}

fn registration(name: &str, years: u8, nameservers: Vec<Nameserver>) -> Registration {
    Registration {
        name: name.into(),
        period: Period::years(years).unwrap(),
        nameservers,
        contact: contact(),
        id_protection: false,
    }
}

fn years_from(t: Timestamp, n: i64) -> Timestamp {
    t.to_zoned(TimeZone::UTC)
        .checked_add(Span::new().years(n))
        .unwrap()
        .timestamp()
}

/// The text between `<tag>` and `</tag>` in the first request holding it.
fn between<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
    let start = xml.find(open).unwrap() + open.len();
    let end = start + xml[start..].find(close).unwrap();
    &xml[start..end]
}

#[tokio::test]
async fn check_tells_free_names_from_taken_ones() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain("taken.test", "other-registrar", "2027-01-01T00:00:00Z", "x");
    let checks = client(&fake)
        .check(&["free.test", "TAKEN.test"])
        .await
        .unwrap();
    assert_eq!(checks.len(), 2);
    assert!(checks[0].available && checks[0].name == "free.test");
    assert!(!checks[1].available);
    assert_eq!(checks[1].reason.as_deref(), Some("In use"));
    let sent = fake.requests_with("<domain:check");
    assert!(sent[0].contains("<domain:name>free.test</domain:name>"));
    assert!(sent[0].contains("<domain:name>taken.test</domain:name>"));
}

#[tokio::test]
async fn a_session_greets_logs_in_with_the_offered_objects_and_logs_out() {
    let fake = FakeEpp::start(USER, PASSWORD);
    client(&fake).check(&["a.test"]).await.unwrap();
    let requests = fake.requests();
    assert_eq!(requests.len(), 3, "login, check, logout");
    let login = &requests[0];
    assert!(login.contains(&format!("<clID>{USER}</clID>")));
    assert!(login.contains("<objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>"));
    assert!(login.contains("<objURI>urn:ietf:params:xml:ns:host-1.0</objURI>"));
    // Only the extensions till reads: rgp, not secDNS which it never sends.
    assert!(login.contains("<extURI>urn:ietf:params:xml:ns:rgp-1.0</extURI>"));
    assert!(!login.contains("secDNS"));
    assert!(requests[2].contains("<logout/>"));
    assert_eq!(fake.logouts(), 1);
    // Every command carries its own transaction id.
    let trids: Vec<&str> = requests
        .iter()
        .map(|r| between(r, "<clTRID>", "</clTRID>"))
        .collect();
    assert!(trids[0] != trids[1] && trids[1] != trids[2]);
}

#[tokio::test]
async fn registration_creates_the_contact_then_the_domain_with_period_hosts_and_auth_code() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_host("ns1.dns.example");
    let before = Timestamp::now();
    let outcome = client(&fake)
        .register(&registration(
            "new-site.test",
            2,
            vec![
                Nameserver::named("ns1.dns.example"),
                Nameserver::named("NS2.dns.example"),
            ],
        ))
        .await
        .unwrap();
    let Outcome::Done {
        expiry: Some(expiry),
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert!(expiry >= years_from(before, 2) && expiry <= years_from(Timestamp::now(), 2));

    let contact_xml = &fake.requests_with("<contact:create")[0];
    let id = between(contact_xml, "<contact:id>", "</contact:id>");
    assert!(id.starts_with("till") && (3..=16).contains(&id.len()));
    let stored = fake.contact(id).unwrap();
    assert_eq!(stored.name, "Ada Lovelace");
    assert_eq!(stored.street, ["12 St James's Square", "Floor 2"]);
    assert_eq!(
        (stored.cc.as_str(), stored.voice.as_str()),
        ("GB", "+44.2079460000")
    );
    assert_eq!(stored.postal_type, "int");

    // The unknown nameserver was created first, without addresses.
    assert_eq!(fake.host("ns2.dns.example"), Some(Vec::new()));
    let create = &fake.requests_with("<domain:create")[0];
    assert!(create.contains("<domain:period unit=\"y\">2</domain:period>"));
    assert!(create.contains("<domain:hostObj>ns1.dns.example</domain:hostObj>"));
    assert!(create.contains("<domain:hostObj>ns2.dns.example</domain:hostObj>"));
    assert!(create.contains(&format!("<domain:registrant>{id}</domain:registrant>")));
    assert!(create.contains(&format!(
        "<domain:contact type=\"admin\">{id}</domain:contact>"
    )));
    assert!(create.contains(&format!(
        "<domain:contact type=\"tech\">{id}</domain:contact>"
    )));
    let auth = between(create, "<domain:pw>", "</domain:pw>");
    assert!(auth.len() >= 16);
    assert_eq!(fake.domain("new-site.test").unwrap().auth, auth);

    let info = client(&fake).info("new-site.test").await.unwrap();
    assert_eq!(info.expiry, Some(expiry));
    assert_eq!(info.nameservers, ["ns1.dns.example", "ns2.dns.example"]);
    assert_eq!(info.statuses, ["ok"]);
    assert!(!info.locked);
}

#[tokio::test]
async fn nameservers_inside_the_new_domain_get_glue_after_it_exists() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let glue = Nameserver {
        host: "ns1.own.test".into(),
        addrs: vec![
            "192.0.2.53".parse().unwrap(),
            "2001:db8::53".parse().unwrap(),
        ],
    };
    fake.add_host("ns.elsewhere.example");
    client(&fake)
        .register(&registration(
            "own.test",
            1,
            vec![Nameserver::named("ns.elsewhere.example"), glue],
        ))
        .await
        .unwrap();
    let create = &fake.requests_with("<domain:create")[0];
    assert!(
        !create.contains("ns1.own.test"),
        "created before its host can exist"
    );
    let host = &fake.requests_with("<host:create")[0];
    assert!(host.contains("<host:addr ip=\"v4\">192.0.2.53</host:addr>"));
    assert!(host.contains("<host:addr ip=\"v6\">2001:db8::53</host:addr>"));
    assert_eq!(
        fake.domain("own.test").unwrap().ns,
        ["ns.elsewhere.example", "ns1.own.test"]
    );
}

#[tokio::test]
async fn registering_a_taken_name_is_refused_with_the_registry_code() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain("taken.test", "other-registrar", "2027-01-01T00:00:00Z", "x");
    let err = client(&fake)
        .register(&registration("taken.test", 1, Vec::new()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Refused { code, message } if code == "2302" && message == "Object exists"),
        "{err:?}"
    );
    assert!(!err.retryable());
    assert_eq!(
        fake.logouts(),
        1,
        "the session is closed after a refusal too"
    );
}

#[tokio::test]
async fn a_retried_registration_that_went_through_is_done_not_refused() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let c = client(&fake);
    let first = c
        .register(&registration("once.test", 1, Vec::new()))
        .await
        .unwrap();
    let again = c
        .register(&registration("once.test", 1, Vec::new()))
        .await
        .unwrap();
    assert_eq!(first, again);
    assert!(matches!(again, Outcome::Done { expiry: Some(_) }));
    assert_eq!(fake.requests_with("<domain:create").len(), 2);
    assert_eq!(
        fake.requests_with("<domain:info").len(),
        1,
        "asked who holds it"
    );
}

#[tokio::test]
async fn xml_special_characters_in_contact_details_are_escaped_and_arrive_intact() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let mut r = registration("escape.test", 1, Vec::new());
    r.contact.name = "O'Brien & <Sons> \"Ltd\"".into();
    r.contact.street = vec!["</contact:street><contact:street>injected".into()];
    client(&fake).register(&r).await.unwrap();
    let xml = &fake.requests_with("<contact:create")[0];
    assert!(xml.contains("O&apos;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;"));
    assert!(!xml.contains("<Sons>"));
    let id = between(xml, "<contact:id>", "</contact:id>");
    let stored = fake.contact(id).unwrap();
    assert_eq!(stored.name, "O'Brien & <Sons> \"Ltd\"");
    assert_eq!(stored.street, ["</contact:street><contact:street>injected"]);
}

#[tokio::test]
async fn contact_details_beyond_ascii_go_in_the_localized_form() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let mut r = registration("umlaut.test", 1, Vec::new());
    r.contact.name = "Jürgen Groß".into();
    client(&fake).register(&r).await.unwrap();
    let xml = &fake.requests_with("<contact:create")[0];
    assert!(xml.contains("<contact:postalInfo type=\"loc\">"));
    let stored = fake
        .contact(between(xml, "<contact:id>", "</contact:id>"))
        .unwrap();
    assert_eq!(stored.name, "Jürgen Groß");
}

fn transfer(name: &str, code: &str) -> Transfer {
    Transfer {
        name: name.into(),
        auth_code: Secret::new(code),
        period: Period::years(1).unwrap(),
        contact: contact(),
        nameservers: Vec::new(),
    }
}

#[tokio::test]
async fn a_transfer_with_the_right_code_waits_for_the_losing_registrar() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain(
        "moving.test",
        "other-registrar",
        "2027-01-01T00:00:00Z",
        "Code&<1>",
    );
    let outcome = client(&fake)
        .transfer(&transfer("moving.test", "Code&<1>"))
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Pending(Pending::TransferApproval));
    let xml = &fake.requests_with("<domain:transfer")[0];
    assert!(xml.contains("<transfer op=\"request\">"));
    assert!(xml.contains("<domain:pw>Code&amp;&lt;1&gt;</domain:pw>"));
    assert!(
        fake.domain("moving.test")
            .unwrap()
            .statuses
            .contains("pendingTransfer")
    );
}

#[tokio::test]
async fn a_transfer_with_a_wrong_code_is_refused() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain(
        "moving.test",
        "other-registrar",
        "2027-01-01T00:00:00Z",
        "right",
    );
    let err = client(&fake)
        .transfer(&transfer("moving.test", "wrong"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Refused { code, .. } if code == "2202"),
        "{err:?}"
    );
    assert!(!err.retryable());
}

#[tokio::test]
async fn renewal_extends_the_expiry_the_registry_has_now() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain("mine.test", USER, "2027-05-01T12:00:00Z", "x");
    let outcome = client(&fake)
        .renew("mine.test", Period::years(3).unwrap())
        .await
        .unwrap();
    let want: Timestamp = "2030-05-01T12:00:00Z".parse().unwrap();
    assert_eq!(outcome, Outcome::Done { expiry: Some(want) });
    let xml = &fake.requests_with("<domain:renew")[0];
    assert!(xml.contains("<domain:curExpDate>2027-05-01</domain:curExpDate>"));
    assert!(xml.contains("<domain:period unit=\"y\">3</domain:period>"));
    // The info before it read the current date; a renewal never guesses it.
    let order: Vec<bool> = fake
        .requests()
        .iter()
        .filter(|r| r.contains("<domain:info") || r.contains("<domain:renew"))
        .map(|r| r.contains("<domain:info"))
        .collect();
    assert_eq!(order, [true, false]);
    assert_eq!(fake.domain("mine.test").unwrap().expiry, want);
}

#[tokio::test]
async fn renewing_a_name_of_another_registrar_is_refused() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain(
        "theirs.test",
        "other-registrar",
        "2027-05-01T12:00:00Z",
        "x",
    );
    let err = client(&fake)
        .renew("theirs.test", Period::years(1).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Refused { code, .. } if code == "2201"),
        "{err:?}"
    );
}

#[tokio::test]
async fn nameservers_are_replaced_by_adding_the_new_and_removing_the_old() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_host("old1.dns.example");
    fake.add_host("keep.dns.example");
    let c = client(&fake);
    c.register(&registration(
        "ns.test",
        1,
        vec![
            Nameserver::named("old1.dns.example"),
            Nameserver::named("keep.dns.example"),
        ],
    ))
    .await
    .unwrap();
    let outcome = c
        .set_nameservers(
            "ns.test",
            &[
                Nameserver::named("keep.dns.example"),
                Nameserver::named("new.dns.example"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Done { expiry: None });
    let update = &fake.requests_with("<domain:update")[0];
    let add = between(update, "<domain:add>", "</domain:add>");
    let rem = between(update, "<domain:rem>", "</domain:rem>");
    assert!(add.contains("new.dns.example") && !add.contains("keep"));
    assert!(rem.contains("old1.dns.example") && !rem.contains("keep"));
    let info = c.info("ns.test").await.unwrap();
    assert_eq!(info.nameservers, ["keep.dns.example", "new.dns.example"]);
}

#[tokio::test]
async fn lock_and_unlock_set_and_clear_the_client_prohibitions() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain("lock.test", USER, "2027-05-01T12:00:00Z", "x");
    let c = client(&fake);
    c.set_lock("lock.test", true).await.unwrap();
    let info = c.info("lock.test").await.unwrap();
    assert!(info.locked);
    assert!(
        info.statuses
            .contains(&"clientTransferProhibited".to_string())
    );
    assert!(
        info.statuses
            .contains(&"clientDeleteProhibited".to_string())
    );
    let xml = &fake.requests_with("<domain:update")[0];
    assert!(xml.contains("<domain:add><domain:status s=\"clientTransferProhibited\"/>"));

    // Locking again sends nothing: the statuses are already there.
    c.set_lock("lock.test", true).await.unwrap();
    assert_eq!(fake.requests_with("<domain:update").len(), 1);

    c.set_lock("lock.test", false).await.unwrap();
    let info = c.info("lock.test").await.unwrap();
    assert!(!info.locked);
    assert_eq!(info.statuses, ["ok"]);
    assert!(fake.requests_with("<domain:update")[1].contains("<domain:rem>"));
}

#[tokio::test]
async fn the_epp_code_is_read_from_domain_info_and_never_printed() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain("code.test", USER, "2027-05-01T12:00:00Z", "A&b<c>9");
    let code = client(&fake).epp_code("code.test").await.unwrap();
    let EppCode::Code(secret) = &code else {
        panic!("{code:?}")
    };
    assert_eq!(secret.expose(), "A&b<c>9");
    assert!(!format!("{code:?}").contains("A&b"));
}

#[tokio::test]
async fn contact_updates_reach_every_contact_object_of_the_domain() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let c = client(&fake);
    c.register(&registration("contacts.test", 1, Vec::new()))
        .await
        .unwrap();
    let mut moved = contact();
    moved.city = "Cambridge".into();
    moved.email = "ada@new.example".into();
    c.update_contacts("contacts.test", &moved).await.unwrap();
    let updates = fake.requests_with("<contact:update");
    assert_eq!(
        updates.len(),
        1,
        "registrant, admin and tech are one object"
    );
    let id = between(&updates[0], "<contact:id>", "</contact:id>");
    assert_eq!(fake.domain("contacts.test").unwrap().registrant, id);
    let stored = fake.contact(id).unwrap();
    assert_eq!(
        (stored.city.as_str(), stored.email.as_str()),
        ("Cambridge", "ada@new.example")
    );
}

#[tokio::test]
async fn id_protection_and_dns_are_not_part_of_plain_epp() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let c = client(&fake);
    assert!(matches!(
        c.set_id_protection("a.test", true).await,
        Err(RegistrarError::Unsupported(_))
    ));
    assert!(matches!(
        c.dns_records("a.test").await,
        Err(RegistrarError::Unsupported(_))
    ));
    assert!(fake.requests().is_empty(), "nothing was sent for either");
}

#[tokio::test]
async fn an_outage_that_drops_connections_is_transient() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.set_mode(Mode::DropConnections);
    let err = client(&fake).check(&["a.test"]).await.unwrap_err();
    assert!(err.retryable(), "{err:?}");
    fake.set_mode(Mode::Normal);
    assert!(client(&fake).check(&["a.test"]).await.is_ok(), "and passes");
}

#[tokio::test]
async fn a_registry_answering_2400_is_transient() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.set_mode(Mode::Answer(2400));
    let err = client(&fake)
        .register(&registration("busy.test", 1, Vec::new()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Transient(m) if m.contains("2400")),
        "{err:?}"
    );
    assert!(fake.domain("busy.test").is_none());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_as_transient() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.set_mode(Mode::Silent);
    let mut quick = config(&fake, PASSWORD);
    if let RegistrarConfig::Epp(c) = &mut quick {
        c.timeout_secs = 1;
    }
    let started = std::time::Instant::now();
    let err = registrar_for(&quick, &loopback())
        .unwrap()
        .check(&["a.test"])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Transient(m) if m.contains("no answer in 1 s")),
        "{err:?}"
    );
    assert!(started.elapsed().as_secs() < 10);
}

#[tokio::test]
async fn a_bad_login_is_refused_and_not_retried() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let c = registrar_for(&config(&fake, "wrong"), &loopback()).unwrap();
    let err = c.check(&["a.test"]).await.unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Refused { code, .. } if code == "2200"),
        "{err:?}"
    );
    assert!(!err.retryable());
    assert_eq!(fake.requests().len(), 1, "nothing after the failed login");
}

#[tokio::test]
async fn a_frame_announcing_more_than_the_bound_is_refused_unread() {
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.set_mode(Mode::OversizeGreeting);
    let started = std::time::Instant::now();
    let err = client(&fake).check(&["a.test"]).await.unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Transient(m) if m.contains("67108864 bytes")),
        "{err:?}"
    );
    assert!(
        started.elapsed().as_secs() < 5,
        "refused at the header, not by the timeout"
    );
}

#[tokio::test]
async fn a_server_whose_certificate_is_not_trusted_is_not_talked_to() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let mut untrusted = config(&fake, PASSWORD);
    if let RegistrarConfig::Epp(c) = &mut untrusted {
        c.ca_pem = None;
    }
    let err = match registrar_for(&untrusted, &loopback()) {
        Ok(c) => c.check(&["a.test"]).await.unwrap_err(),
        // A machine without system roots refuses to build it at all.
        Err(e) => e,
    };
    assert!(
        matches!(&err, RegistrarError::Transient(m) if m.contains("TLS handshake"))
            || matches!(err, RegistrarError::Misconfigured(_)),
        "{err:?}"
    );
    assert!(fake.requests().is_empty(), "the password never left");
}

#[tokio::test]
async fn a_private_address_is_refused_unless_the_operator_allows_it() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let c = registrar_for(&config(&fake, PASSWORD), &TargetPolicy::default()).unwrap();
    let err = c.check(&["a.test"]).await.unwrap_err();
    assert!(matches!(err, RegistrarError::Misconfigured(_)), "{err:?}");
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn the_config_keeps_its_secrets_out_of_debug_output() {
    let fake = FakeEpp::start(USER, PASSWORD);
    let mut c = config(&fake, PASSWORD);
    if let RegistrarConfig::Epp(epp) = &mut c {
        epp.client_key_pem = Some(Secret::new("-----BEGIN PRIVATE KEY-----abc"));
    }
    let printed = format!("{c:?}");
    assert!(!printed.contains(PASSWORD) && !printed.contains("BEGIN PRIVATE KEY"));
    assert!(printed.contains("[redacted]"));
    assert_eq!(c.module(), "epp");
}

#[test]
fn a_period_is_one_to_ten_years() {
    assert!(Period::years(0).is_err());
    assert!(Period::years(11).is_err());
    assert_eq!(Period::years(10).unwrap().get(), 10);
}
